import { parseArgs } from "node:util";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { formatQualityTable, qualityTable } from "./qualityTable";
import { FIRESTORE_USAGE, openFirestore } from "./workspaceFirestore";
import { exitWhenDone } from "./exitWhenDone";

const USAGE = `Usage: npm run quality -- --workspace W [--days 7] [--project P] [--json]

Per provider and per model, over the last days: suggestions, how many agents sent as is, edited
or did not use, median latency and the cloud cost avoided. ${FIRESTORE_USAGE}
--json prints JSON only (run it as \`npm run -s\`).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      days: { type: "string", default: "7" },
      project: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const days = Number(values.days);
  if (!values.workspace || !Number.isInteger(days) || days < 1 || days > 366) {
    console.error(
      `${USAGE}\n\n--workspace is required; --days must be a whole number from 1 to 366.`,
    );
    return 2;
  }
  const db = openFirestore(values.project);
  if ("advice" in db) {
    console.error(`✗ ${db.advice}`);
    return 2;
  }
  const since = utcDay(Date.now() - (days - 1) * 86_400_000);
  const snapshot = await db
    .collection(paths.metrics(values.workspace))
    .where("date", ">=", since)
    .get();
  const table = qualityTable(snapshot.docs.map((doc) => doc.data()));
  console.log(
    values.json ? JSON.stringify(table, null, 2) : formatQualityTable(table, values.workspace),
  );
  return 0;
}

exitWhenDone(main);

import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { FUNCTIONS_DIR, findLocalFirestore } from "../config/devStackState";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { formatQualityTable, qualityTable } from "./qualityTable";

const USAGE = `Usage: npm run quality -- --workspace W [--days 7] [--project P] [--json]

Per provider and per model, over the last days: suggestions, how many agents sent as is, edited
or did not use, median latency and the cloud cost avoided. Reads the Firestore emulator named by
FIRESTORE_EMULATOR_HOST, else the one of a running \`npm run dev\`, else a real project named by
--project or GOOGLE_CLOUD_PROJECT, with Application Default Credentials
(gcloud auth application-default login). --json prints JSON only (run it as \`npm run -s\`).`;

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
  loadFunctionsEnvFiles(FUNCTIONS_DIR);
  const firestore = findLocalFirestore(values.project);
  if (firestore.kind === "none") {
    console.error(`✗ ${firestore.advice}`);
    return 2;
  }
  // Against an emulator no credentials are needed: never probe Google's metadata server.
  if (firestore.kind === "emulator") process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp({ projectId: firestore.projectId });
  const since = utcDay(Date.now() - (days - 1) * 86_400_000);
  const snapshot = await getFirestore()
    .collection(paths.metrics(values.workspace))
    .where("date", ">=", since)
    .get();
  const table = qualityTable(snapshot.docs.map((doc) => doc.data()));
  console.log(
    values.json ? JSON.stringify(table, null, 2) : formatQualityTable(table, values.workspace),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`✗ ${(err as Error).message}`);
    process.exit(1);
  },
);

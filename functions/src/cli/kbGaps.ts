import { Timestamp } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { formatGapReport, groupGaps } from "../knowledge/gapReport";
import { kbMessages } from "../knowledge/kbMessages";
import {
  FIRESTORE_USAGE,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { exitWhenDone } from "./exitWhenDone";

const USAGE = `Usage: npm run kb:gaps -- --workspace W [--days 7] [--top 20] [--project P] [--json]

The customer questions no knowledge article answered over the last days (knowledgeGaps), the same
question on several days or spelled differently counted once, most asked first: what to write
next. ${FIRESTORE_USAGE}
--json prints JSON only (run it as \`npm run -s\`).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      days: { type: "string", default: "7" },
      top: { type: "string", default: "20" },
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
  const top = Number(values.top);
  const workspace = values.workspace ?? "";
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!isWorkspaceId(workspace) || !whole(days, 366) || !whole(top, 1000)) {
    console.error(
      `${USAGE}\n\n--workspace is required; --days must be a whole number from 1 to 366, --top from 1 to 1000.`,
    );
    return 2;
  }
  const db = openFirestore(values.project);
  if ("advice" in db) {
    console.error(`✗ ${db.advice}`);
    return 2;
  }
  const from = utcDay(Date.now() - (days - 1) * 86_400_000);
  const to = utcDay();
  // One range query on one field: Firestore's automatic index serves it, no composite index.
  const [language, snapshot] = await Promise.all([
    workspaceLanguage(db, workspace),
    db.collection(paths.knowledgeGaps(workspace)).where("day", ">=", from).get(),
  ]);
  const entries = groupGaps(
    snapshot.docs.map((doc) => {
      const data = doc.data();
      const lastAt = data.lastAt instanceof Timestamp ? data.lastAt.toDate() : undefined;
      return { day: data.day, question: data.question, count: data.count, lastAt };
    }),
  );
  console.log(
    values.json
      ? JSON.stringify({ workspace, from, to, entries: entries.slice(0, top) }, null, 2)
      : formatGapReport(entries, { workspace, from, to, days, top }, kbMessages(language)),
  );
  return 0;
}

exitWhenDone(main);

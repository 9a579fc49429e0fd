import { Timestamp } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { formatGapReport, groupGaps } from "./gapReport";
import { kbMessages } from "./kbMessages";
import { LANG_OPTION, langUsage, readLangFlag } from "./commandLanguage";
import {
  firestoreMessages,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { exitWhenDone } from "./exitWhenDone";
import { kbUsage } from "./kbUsage";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      days: { type: "string", default: "7" },
      top: { type: "string", default: "20" },
      project: { type: "string" },
      json: { type: "boolean", default: false },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // Until the workspace is read: the flag, the environment, English.
  const early = kbUsage(lang.language);
  const usage = early.gapsUsage(
    firestoreMessages(lang.language).usage,
    langUsage(lang.language, true),
  );
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const days = Number(values.days);
  const top = Number(values.top);
  const workspace = values.workspace ?? "";
  const whole = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!isWorkspaceId(workspace) || !whole(days, 366) || !whole(top, 1000)) {
    console.error(`${usage}\n\n${early.gapsArguments}`);
    return 2;
  }
  const db = openFirestore(values.project);
  if (!db) {
    console.error(`✗ ${firestoreMessages(lang.language).none}`);
    return 2;
  }
  const from = utcDay(Date.now() - (days - 1) * 86_400_000);
  const to = utcDay();
  // One range query on one field: Firestore's automatic index serves it, no composite index.
  const [language, snapshot] = await Promise.all([
    workspaceLanguage(db, workspace, lang.flag),
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

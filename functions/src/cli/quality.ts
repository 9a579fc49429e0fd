import { parseArgs } from "node:util";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { formatQualityTable, qualityTable } from "./qualityTable";
import {
  firestoreMessages,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { LANG_OPTION, langUsage, readLangFlag } from "./commandLanguage";
import { qualityMessages } from "./qualityMessages";
import { exitWhenDone } from "./exitWhenDone";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      days: { type: "string", default: "7" },
      project: { type: "string" },
      json: { type: "boolean", default: false },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // Until the workspace is read: the flag, the environment, English.
  const early = qualityMessages(lang.language);
  const usage = early.usage(firestoreMessages(lang.language).usage, langUsage(lang.language, true));
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const days = Number(values.days);
  const workspace = values.workspace ?? "";
  if (!isWorkspaceId(workspace) || !Number.isInteger(days) || days < 1 || days > 366) {
    console.error(`${usage}\n\n${early.arguments}`);
    return 2;
  }
  const db = openFirestore(values.project);
  if (!db) {
    console.error(`✗ ${firestoreMessages(lang.language).none}`);
    return 2;
  }
  const since = utcDay(Date.now() - (days - 1) * 86_400_000);
  const [language, snapshot] = await Promise.all([
    values.json ? lang.language : workspaceLanguage(db, workspace, lang.flag),
    db.collection(paths.metrics(workspace)).where("date", ">=", since).get(),
  ]);
  const table = qualityTable(snapshot.docs.map((doc) => doc.data()));
  console.log(
    values.json
      ? JSON.stringify(table, null, 2)
      : formatQualityTable(table, workspace, qualityMessages(language)),
  );
  return 0;
}

exitWhenDone(main);

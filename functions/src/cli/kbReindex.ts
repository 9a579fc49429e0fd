import { parseArgs } from "node:util";
import { readEmbeddingModel } from "../config/workspaceAiSettings";
import { hintFor } from "../core/errorCodes";
import { paths } from "../core/paths";
import { indexArticle } from "../tasks/knowledgeIndex/indexArticle";
import { kbMessages } from "./kbMessages";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { LANG_OPTION, langUsage, readLangFlag } from "./commandLanguage";
import {
  firestoreMessages,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { exitWhenDone } from "./exitWhenDone";
import { kbUsage } from "./kbUsage";

/** Seconds an article may take: a 100,000-character one is about a hundred chunks. */
const ARTICLE_BUDGET_MS = 300_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      force: { type: "boolean", default: false },
      project: { type: "string" },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // Until the workspace is read: the flag, the environment, English.
  const early = kbUsage(lang.language);
  const usage = early.reindexUsage(
    firestoreMessages(lang.language).usage,
    langUsage(lang.language, true),
  );
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const workspaceId = values.workspace ?? "";
  if (!isWorkspaceId(workspaceId)) {
    console.error(`${usage}\n\n${early.reindexArguments}`);
    return 2;
  }
  const db = openFirestore(values.project);
  if (!db) {
    console.error(`✗ ${firestoreMessages(lang.language).none}`);
    return 2;
  }
  const language = await workspaceLanguage(db, workspaceId, lang.flag);
  const say = kbMessages(language);
  const model = readEmbeddingModel((await db.doc(paths.aiSettings(workspaceId)).get()).data());
  // This process is beside LM Studio: it reaches it directly, in bridge mode too.
  const runtime = loadProviderRuntime({ ...process.env, LLM_STUDIO_MODE: "direct" });
  const articles = await db.collection(paths.knowledgeArticles(workspaceId)).select().get();
  console.log(say.reindexing(model, articles.size));
  const counts = { total: articles.size, indexed: 0, unchanged: 0, failed: 0 };
  for (const [i, article] of articles.docs.entries()) {
    const result = await indexArticle(
      { workspaceId, articleId: article.id },
      { db, runtime, deadlineAt: Date.now() + ARTICLE_BUDGET_MS, force: values.force },
    );
    if (result.kind === "indexed") counts.indexed += 1;
    else if (result.kind === "failed") counts.failed += 1;
    else counts.unchanged += 1;
    console.log(`[${i + 1}/${articles.size}] ${article.id}  ${say.reindexed(result)}`);
    if (result.kind === "failed") console.log(`    ${hintFor(result.error.code, language)}`);
  }
  console.log(say.reindexSummary(counts));
  return counts.failed > 0 ? 1 : 0;
}

exitWhenDone(main);

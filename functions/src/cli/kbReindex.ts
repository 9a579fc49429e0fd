import { parseArgs } from "node:util";
import { readEmbeddingModel } from "../config/workspaceAiSettings";
import { hintFor } from "../core/errorCodes";
import { paths } from "../core/paths";
import { indexArticle } from "../knowledge/indexArticle";
import { kbMessages } from "../knowledge/kbMessages";
import { loadProviderRuntime } from "../providers/providerRuntime";
import {
  FIRESTORE_USAGE,
  isWorkspaceId,
  openFirestore,
  workspaceLanguage,
} from "./workspaceFirestore";
import { exitWhenDone } from "./exitWhenDone";

const USAGE = `Usage: npm run kb:reindex -- --workspace W [--force] [--project P]

Indexes every article of the workspace's knowledge base again with the embedding model of its
settings (settings/ai.tasks.embeddings.model), from this machine: run it beside LM Studio (it uses
LLM_STUDIO_URL). Articles already indexed with that model cost no embedding call; --force embeds
them all again. Retries the articles whose indexing failed. ${FIRESTORE_USAGE}`;

/** Seconds an article may take: a 100,000-character one is about a hundred chunks. */
const ARTICLE_BUDGET_MS = 300_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      workspace: { type: "string" },
      force: { type: "boolean", default: false },
      project: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const workspaceId = values.workspace ?? "";
  if (!isWorkspaceId(workspaceId)) {
    console.error(`${USAGE}\n\n--workspace is required.`);
    return 2;
  }
  const db = openFirestore(values.project);
  if ("advice" in db) {
    console.error(`✗ ${db.advice}`);
    return 2;
  }
  const language = await workspaceLanguage(db, workspaceId);
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

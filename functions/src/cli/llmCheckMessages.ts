import { langUsage } from "./commandLanguage";
import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * What `npm run llm:check` itself says, in English and in Spanish (commandLanguage.ts decides).
 * The check's lines are health/checkMessages.ts's; the fixes come from core/errorCodes' table.
 */
export interface LlmCheckMessages {
  usage: string;
}

const en: LlmCheckMessages = {
  usage: `Usage: npm run llm:check [-- --json] [-- --url http://host:1234] [-- --model id] [-- --embedding-model id] [-- --lang es|en]

Checks LLM_STUDIO_URL (every server when it lists several): reachability, authentication
(LLM_STUDIO_API_KEY), the model list with load state, the model (LLM_STUDIO_CHECK_MODEL, default
gpt-oss-20b), and one tiny completion; then the knowledge base's embedding model
(LLM_STUDIO_CHECK_EMBEDDING_MODEL, default text-embedding-nomic-embed-text-v1.5; "none" skips it):
listed, of type embeddings, and one tiny embedding with its dimensions. Exit code 0 only when a
completion and an embedding worked everywhere. For scripts: npm run -s llm:check -- --json
${langUsage("en", false)}`,
};

const es: LlmCheckMessages = {
  usage: `Uso: npm run llm:check [-- --json] [-- --url http://host:1234] [-- --model id] [-- --embedding-model id] [-- --lang es|en]

Revisa LLM_STUDIO_URL (cada servidor, si nombra varios): que responda, la autenticación
(LLM_STUDIO_API_KEY), la lista de modelos con su estado de carga, el modelo (LLM_STUDIO_CHECK_MODEL,
por defecto gpt-oss-20b) y una respuesta mínima; después el modelo de embeddings de la base de
conocimiento (LLM_STUDIO_CHECK_EMBEDDING_MODEL, por defecto text-embedding-nomic-embed-text-v1.5;
"none" lo omite): que figure, que sea de tipo embeddings, y un embedding mínimo con sus
dimensiones. Código de salida 0 solo si una respuesta y un embedding funcionaron en todos los
servidores. Para scripts: npm run -s llm:check -- --json
${langUsage("es", false)}`,
};

const catalog: Catalog<LlmCheckMessages> = { en, es };

export const llmCheckMessages = (language: Language): LlmCheckMessages =>
  messagesFor(catalog, language);

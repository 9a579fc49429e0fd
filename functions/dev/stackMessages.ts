import type { ErrorCode } from "../src/core/errorCodes";
import { oneLine } from "../src/core/safeText";
import { checkMessages } from "../src/health/checkMessages";
import { type Catalog, type Language, messagesFor } from "../src/core/language";

/*
 * What the local stacks say in every command that runs or uses one (`npm run dev`, `emulators`,
 * `demo`), in English and in Spanish (src/cli/commandLanguage.ts decides): the LM Studio line,
 * the Firestore emulator, one line per outcome. Statuses, error codes, providers and ids are
 * names, the same in both languages.
 */
export interface StackMessages {
  configuration(message: string): string;
  lmStudioDisabled: string;
  lmStudioUp(url: string, models: number, loaded: string[]): string;
  lmStudioDown(url: string, code: ErrorCode, message: string): string;
  /** What every local command says when LM Studio cannot be reached. */
  noLmStudio: string;
  simulated(url: string): string;
  namedEmulator(host: string): string;
  officialEmulator(version: string, host: string, logFile: string): string;
  embeddedEmulator(host: string, fallbackReason: string | undefined): string;
  localBridge(id: string): string;
  /** A collection-group listener failed (`what`: the collection). */
  watchFailed(what: string, message: string): string;
  localBridgeRan(task: string, jobId: string, run: number, ms: number): string;
  outcome: OutcomeWords;
}

/** The words of `npm run dev`'s one line per outcome, after the time and the document. */
export interface OutcomeWords {
  threw(message: string): string;
  done(ms: number): string;
  ignored(reason: string): string;
  queued(jobId: string): string;
  indexed(chunks: number, embedded: number, deleted: number): string;
  indexUnchanged: string;
  articleRemoved(deleted: number): string;
  newerEdit: string;
  notIndexed(code: string, message: string): string;
  requestFailed(code: string): string;
  agentReplied(superseded: number): string;
  aiOff(reason: string): string;
  duplicate(status: string): string;
  ready(provider: string, model: string, ms: number, attempts: number, fallback: string): string;
  fallbackFrom(provider: string, code: string): string;
  error(code: string, provider: string, model: string, ms: number, message: string): string;
  errorAfter(provider: string, code: string): string;
  supersededBy(by: string, reason: string): string;
  skipped(reason: string): string;
}

const EMBEDDED_LIMITS = {
  en: "no security rules, no transaction isolation, no collection-group queries, and web clients hang on it",
  es: "no tiene reglas de seguridad, ni aislamiento de transacciones, ni consultas de grupo de colecciones, y los clientes web se cuelgan con él",
};

const en: StackMessages = {
  configuration: (message) => `✗ configuration: ${message}`,
  lmStudioDisabled: "LM Studio: disabled (LLM_STUDIO_ENABLED=false)",
  lmStudioUp: (url, n, loaded) =>
    `✓ LM Studio at ${url}: ${n} model(s)${loaded.length ? `, loaded: ${loaded.join(", ")}` : ""}`,
  lmStudioDown: (_url, code, message) =>
    `✗ ${oneLine(message)} [${code}] — suggestions will end in error until it is up (npm run llm:check). ${en.noLmStudio}`,
  noLmStudio:
    "No LM Studio on this machine? Restart with --simulate-lm-studio (bash scripts/start.sh --simulate-lm-studio) for canned replies.",
  simulated: (url) =>
    `SIMULATED LM Studio (--simulate-lm-studio): the project's test server at ${url} answers with a canned reply, not a model.`,
  namedEmulator: (host) => `emulator from FIRESTORE_EMULATOR_HOST at ${host}`,
  officialEmulator: (version, host, logFile) =>
    `official Cloud Firestore emulator ${version} at ${host}, rules from firestore.rules (log: ${logFile})`,
  embeddedEmulator: (host, reason) =>
    `embedded emulator at ${host}${reason ? ` (official one not used: ${reason})` : ""}; it has ${EMBEDDED_LIMITS.en}`,
  localBridge: (id) =>
    `Bridge mode: a local bridge (${id}) in this process runs the queued jobs; another \`npm run bridge\` beside it would race it for them.`,
  watchFailed: (what, message) => `Watching ${what} failed: ${message}`,
  localBridgeRan: (task, jobId, run, ms) => `bridge ran ${task} ${jobId} (run ${run}) in ${ms} ms`,
  outcome: {
    threw: (message) => `failed (will not be retried locally): ${message}`,
    done: (ms) => `done in ${ms} ms`,
    ignored: (reason) => `ignored (${reason})`,
    queued: (jobId) => `queued for the bridge (${jobId})`,
    indexed: (chunks, embedded, deleted) =>
      `indexed  ${chunks} chunk(s), ${embedded} embedded, ${deleted} removed`,
    indexUnchanged: "index unchanged (no embedding)",
    articleRemoved: (deleted) => `article removed: ${deleted} chunk(s) deleted`,
    newerEdit: "newer edit indexes this article",
    notIndexed: (code, message) => `not indexed  ${code}  ${message}`,
    requestFailed: (code) => `request failed (${code})`,
    agentReplied: (n) => `agent replied: ${n} pending suggestion(s) superseded`,
    aiOff: (reason) => `no suggestion: AI off for the workspace (${reason})`,
    duplicate: (status) => `duplicate event (suggestion already ${status})`,
    ready: (provider, model, ms, attempts, fallback) =>
      `ready  ${provider}  ${model}  ${ms} ms  attempts ${attempts}${fallback}`,
    fallbackFrom: (provider, code) => `  (fallback from ${provider}: ${code})`,
    error: (code, provider, model, ms, message) =>
      `error  ${code}  ${provider}  ${model}  ${ms} ms  ${message}`,
    errorAfter: (provider, code) => ` (after ${provider}: ${code})`,
    supersededBy: (by, reason) => `superseded by ${by} (${reason})`,
    skipped: (reason) => `skipped  ${reason}`,
  },
};

const es: StackMessages = {
  configuration: (message) => `✗ configuración: ${message}`,
  lmStudioDisabled: "LM Studio: desactivado (LLM_STUDIO_ENABLED=false)",
  lmStudioUp: (url, n, loaded) =>
    `✓ LM Studio en ${url}: ${n} modelo(s)${loaded.length ? `, cargados: ${loaded.join(", ")}` : ""}`,
  lmStudioDown: (url, code, message) =>
    `✗ ${checkMessages("es").diagnosis(code, `LM Studio en ${url}`, oneLine(message))} [${code}] — las sugerencias terminarán en error hasta que responda (npm run llm:check). ${es.noLmStudio}`,
  noLmStudio:
    "¿No hay LM Studio en esta máquina? Reinicie con --simulate-lm-studio (bash scripts/start.sh --simulate-lm-studio) para tener respuestas simuladas.",
  simulated: (url) =>
    `LM Studio SIMULADO (--simulate-lm-studio): el servidor de prueba del proyecto en ${url} contesta con una respuesta fija, no con un modelo.`,
  namedEmulator: (host) => `emulador de FIRESTORE_EMULATOR_HOST en ${host}`,
  officialEmulator: (version, host, logFile) =>
    `emulador oficial de Cloud Firestore ${version} en ${host}, con las reglas de firestore.rules (log: ${logFile})`,
  embeddedEmulator: (host, reason) =>
    `emulador embebido en ${host}${reason ? ` (no se usa el oficial: ${reason})` : ""}; ${EMBEDDED_LIMITS.es}`,
  localBridge: (id) =>
    `Modo bridge: un bridge local (${id}) en este proceso ejecuta los trabajos encolados; otro \`npm run bridge\` al lado competiría con él por ellos.`,
  watchFailed: (what, message) => `Falló la escucha de ${what}: ${message}`,
  localBridgeRan: (task, jobId, run, ms) =>
    `el bridge ejecutó ${task} ${jobId} (ejecución ${run}) en ${ms} ms`,
  outcome: {
    threw: (message) => `falló (no se reintenta localmente): ${message}`,
    done: (ms) => `listo en ${ms} ms`,
    ignored: (reason) => `ignorado (${reason})`,
    queued: (jobId) => `encolado para el bridge (${jobId})`,
    indexed: (chunks, embedded, deleted) =>
      `indexado  ${chunks} fragmento(s), ${embedded} con embedding nuevo, ${deleted} eliminado(s)`,
    indexUnchanged: "índice sin cambios (sin embeddings)",
    articleRemoved: (deleted) => `artículo eliminado: ${deleted} fragmento(s) borrado(s)`,
    newerEdit: "una edición más nueva indexa este artículo",
    notIndexed: (code, message) => `no indexado  ${code}  ${message}`,
    requestFailed: (code) => `la solicitud falló (${code})`,
    agentReplied: (n) => `el agente respondió: ${n} sugerencia(s) pendiente(s) reemplazada(s)`,
    aiOff: (reason) => `sin sugerencia: IA desactivada en el workspace (${reason})`,
    duplicate: (status) => `evento duplicado (la sugerencia ya está ${status})`,
    ready: (provider, model, ms, attempts, fallback) =>
      `ready  ${provider}  ${model}  ${ms} ms  intentos ${attempts}${fallback}`,
    fallbackFrom: (provider, code) => `  (respaldo de ${provider}: ${code})`,
    error: (code, provider, model, ms, message) =>
      `error  ${code}  ${provider}  ${model}  ${ms} ms  ${message}`,
    errorAfter: (provider, code) => ` (después de ${provider}: ${code})`,
    supersededBy: (by, reason) => `superseded por ${by} (${reason})`,
    skipped: (reason) => `skipped  ${reason}`,
  },
};

const catalog: Catalog<StackMessages> = { en, es };

export const stackMessages = (language: Language): StackMessages => messagesFor(catalog, language);

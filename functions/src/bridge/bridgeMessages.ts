import { checkMessages } from "../health/checkMessages";
import { NO_LANGUAGE_MODEL, type LmStudioState } from "./bridgeWorker";
import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * What `npm run bridge` prints, in English and in Spanish (cli/commandLanguage.ts decides). Its
 * presence document and structured logs stay as they are: data, not sentences.
 */
export interface BridgeMessages {
  usage(lang: string): string;
  run(n: number): string;
  /** A job's outcome word after its id: `status`, `error <code>`, or why it failed. */
  jobFailed(message: string): string;
  jobError(code: string): string;
  lmStudio(state: LmStudioState): string;
  running(id: string, urls: string, state: LmStudioState): string;
  firestoreEmulator(host: string, foundBy: string): string;
  firestoreProject(project: string | undefined): string;
  environmentFiles(files: string[]): string;
  capacity(concurrency: number, heartbeatMs: number): string;
  directMode: string;
  stopping: string;
}

/** Why LM Studio does not answer: the classifier's message, or llm:check's Spanish diagnosis. */
function why(language: Language, state: Extract<LmStudioState, { ready: false }>): string {
  if (language === "en") return `${state.message} [${state.code}]`;
  const said =
    state.message === NO_LANGUAGE_MODEL
      ? checkMessages("es").noModels
      : checkMessages("es").diagnosis(state.code, "LM Studio", state.message);
  return `${said.replace(/\.$/, "")} [${state.code}]`;
}

const en: BridgeMessages = {
  usage: (lang) => `Usage: npm run bridge [-- [--id office-pc-1] [--project P] [--lang es|en]]

Runs beside LM Studio: takes the jobs the functions queue in bridge mode (LLM_STUDIO_MODE=bridge),
asks LM Studio at LLM_STUDIO_URL, and writes the results to Firestore. It only dials out.
Firestore: the emulator named by FIRESTORE_EMULATOR_HOST, else the one of a running npm run dev,
else a real project with the service account in GOOGLE_APPLICATION_CREDENTIALS (see docs/bridge.md).
${lang}`,
  run: (n) => `run ${n}`,
  jobFailed: (message) => `failed: ${message}`,
  jobError: (code) => `error ${code}`,
  lmStudio: (state) =>
    state.ready
      ? "LM Studio answers: taking jobs."
      : `LM Studio does not answer: ${why("en", state)}. Taking no jobs until it does.`,
  running: (id, urls, state) =>
    `Bridge ${id} running beside LM Studio at ${urls}${state.ready ? "." : `, which does not answer: ${why("en", state)}. It takes no jobs until LM Studio answers.`}`,
  firestoreEmulator: (host, foundBy) => `Firestore: emulator at ${host}, found by ${foundBy}`,
  firestoreProject: (project) => `Firestore: project ${project ?? "(from the credentials)"}`,
  environmentFiles: (files) => `environment files: ${files.join(", ") || "none"}.`,
  capacity: (n, ms) => `Up to ${n} job(s) at once; heartbeat every ${ms} ms. Ctrl-C stops.`,
  directMode:
    "⚠ LLM_STUDIO_MODE is direct here: functions configured like this call LM Studio themselves and queue no jobs, so this bridge gets none. The functions need LLM_STUDIO_MODE=bridge (functions/.env when deployed).",
  stopping: "Stopping: finishing the jobs in flight (up to 5 s)…",
};

const es: BridgeMessages = {
  usage: (lang) => `Uso: npm run bridge [-- [--id pc-oficina-1] [--project P] [--lang es|en]]

Corre junto a LM Studio: toma los trabajos que las funciones encolan en modo bridge
(LLM_STUDIO_MODE=bridge), se los pide a LM Studio en LLM_STUDIO_URL y escribe los resultados en
Firestore. Solo hace conexiones salientes. Firestore: el emulador que nombra
FIRESTORE_EMULATOR_HOST; si no, el de un npm run dev que esté corriendo; si no, un proyecto real con
la cuenta de servicio de GOOGLE_APPLICATION_CREDENTIALS (ver docs/es/bridge.md).
${lang}`,
  run: (n) => `ejecución ${n}`,
  jobFailed: (message) => `falló: ${message}`,
  jobError: (code) => `error ${code}`,
  lmStudio: (state) =>
    state.ready
      ? "LM Studio responde: tomando trabajos."
      : `LM Studio no responde: ${why("es", state)}. No toma trabajos hasta que responda.`,
  running: (id, urls, state) =>
    `Bridge ${id} corriendo junto a LM Studio en ${urls}${state.ready ? "." : `, que no responde: ${why("es", state)}. No toma trabajos hasta que LM Studio responda.`}`,
  firestoreEmulator: (host, foundBy) => `Firestore: emulador en ${host}, encontrado por ${foundBy}`,
  firestoreProject: (project) => `Firestore: proyecto ${project ?? "(el de las credenciales)"}`,
  environmentFiles: (files) => `archivos de entorno: ${files.join(", ") || "ninguno"}.`,
  capacity: (n, ms) => `Hasta ${n} trabajo(s) a la vez; latido cada ${ms} ms. Ctrl-C lo detiene.`,
  directMode:
    "⚠ Aquí LLM_STUDIO_MODE es direct: las funciones configuradas así llaman a LM Studio por su cuenta y no encolan trabajos, así que este bridge no recibe ninguno. Las funciones necesitan LLM_STUDIO_MODE=bridge (functions/.env al desplegar).",
  stopping: "Deteniendo: terminando los trabajos en curso (hasta 5 s)…",
};

const catalog: Catalog<BridgeMessages> = { en, es };

export const bridgeMessages = (language: Language): BridgeMessages =>
  messagesFor(catalog, language);

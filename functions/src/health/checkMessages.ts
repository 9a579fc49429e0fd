import type { ErrorCode, HintLanguage } from "../core/errorCodes";

/*
 * The connection check's own sentences, in English and in Spanish (the team that runs LM Studio
 * reads Spanish). The fixes for error codes come from core/errorCodes' table.
 */
export interface CheckMessages {
  /** The heading of one server's checks. */
  serverAt(url: string): string;
  /** What failed, for a classified error: `message` is the classifier's own (English) text. */
  diagnosis(code: ErrorCode, label: string, message: string): string;
  /** A model's load state as LM Studio reports it (`loaded`, `not-loaded`). */
  modelState(state: string): string;
  answered(label: string, authenticated: boolean): string;
  didNotAnswer(label: string): string;
  noModels: string;
  downloadAModel: string;
  modelsAvailable(count: number, loaded: number): string;
  modelsAvailableUnknownState(count: number): string;
  modelMissing(model: string, available: string): string;
  modelMissingFix(model: string): string;
  modelNotLoaded(model: string): string;
  modelNotLoadedFix(model: string): string;
  modelReady(model: string, loaded: boolean): string;
  completed(ms: number, reply: string): string;
  ready: string;
  notReady: string;
  fix: string;
  stats(ms: number, tokens: string, perSecond: string): string;
}

const en: CheckMessages = {
  serverAt: (url) => `LM Studio at ${url}`,
  diagnosis: (_code, _label, message) => message,
  modelState: (state) => state,
  answered: (label, auth) =>
    `${label} answered${auth ? " (authenticated with LLM_STUDIO_API_KEY)" : ""}.`,
  didNotAnswer: (label) => `${label} did not answer.`,
  noModels: "The server lists no language models.",
  downloadAModel: "Download a model: `lms get gpt-oss-20b`, or in LM Studio's Discover tab.",
  modelsAvailable: (n, loaded) => `${n} model(s) available, ${loaded} loaded.`,
  modelsAvailableUnknownState: (n) =>
    `${n} model(s) available (load state unknown: not LM Studio's native API).`,
  modelMissing: (m, available) => `Model "${m}" is not available. Available: ${available}.`,
  modelMissingFix: (m) =>
    `Download and load it (\`lms get ${m}\`, \`lms load ${m}\`), or set LLM_STUDIO_CHECK_MODEL / settings/ai.defaultModel to one of the available models.`,
  modelNotLoaded: (m) =>
    `Model "${m}" is downloaded but not loaded: the first request loads it, which can take tens of seconds.`,
  modelNotLoadedFix: (m) =>
    `Load it ahead of time with \`lms load ${m}\`, or raise LLM_TIMEOUT_MS.`,
  modelReady: (m, loaded) => `Model "${m}" is ${loaded ? "loaded" : "available"}.`,
  completed: (ms, reply) => `Completion in ${ms} ms: "${reply}".`,
  ready: "LM Studio is ready for suggestions.",
  notReady: "LM Studio is not ready for suggestions.",
  fix: "fix:",
  stats: (ms, tokens, perSecond) => `latency ${ms} ms, ${tokens} tokens, ${perSecond} tokens/s`,
};

/** The system's own reason, e.g. `(ECONNREFUSED)`: a name, the same in any language. */
const systemReason = (message: string) => /\(([A-Z][A-Z_]+)\)\.?$/.exec(message)?.[1];

const DIAGNOSES_ES: Partial<Record<ErrorCode, (label: string) => string>> = {
  provider_unreachable: (l) => `No se pudo conectar con ${l}`,
  provider_timeout: (l) => `${l} no respondió a tiempo`,
  provider_auth: (l) => `${l} rechazó la autenticación (token de API)`,
  model_not_found: (l) => `${l} no tiene el modelo pedido`,
  provider_rate_limited: (l) => `${l} está saturado y pidió esperar (429)`,
  provider_error: (l) => `${l} respondió con un error`,
  invalid_response: (l) => `${l} respondió algo que no se pudo leer`,
  context_too_long: (l) => `El pedido no entra en el contexto del modelo cargado en ${l}`,
};

const es: CheckMessages = {
  serverAt: (url) => `LM Studio en ${url}`,
  diagnosis: (code, label, message) => {
    const reason = systemReason(message);
    const said = DIAGNOSES_ES[code]?.(label) ?? `${label} falló`;
    return `${said}${reason ? ` (${reason})` : ""}.`;
  },
  modelState: (state) => ({ loaded: "cargado", "not-loaded": "no cargado" })[state] ?? state,
  answered: (label, auth) =>
    `${label} respondió${auth ? " (autenticado con LLM_STUDIO_API_KEY)" : ""}.`,
  didNotAnswer: (label) => `${label} no respondió.`,
  noModels: "El servidor no lista ningún modelo de lenguaje.",
  downloadAModel:
    "Descargue un modelo: `lms get gpt-oss-20b`, o desde la pestaña Discover de LM Studio.",
  modelsAvailable: (n, loaded) => `${n} modelo(s) disponible(s), ${loaded} cargado(s).`,
  modelsAvailableUnknownState: (n) =>
    `${n} modelo(s) disponible(s) (estado de carga desconocido: no es la API nativa de LM Studio).`,
  modelMissing: (m, available) => `El modelo "${m}" no está disponible. Disponibles: ${available}.`,
  modelMissingFix: (m) =>
    `Descárguelo y cárguelo (\`lms get ${m}\`, \`lms load ${m}\`), o ponga en LLM_STUDIO_CHECK_MODEL / settings/ai.defaultModel uno de los modelos disponibles.`,
  modelNotLoaded: (m) =>
    `El modelo "${m}" está descargado pero no cargado: la primera solicitud lo carga, lo que puede tardar decenas de segundos.`,
  modelNotLoadedFix: (m) => `Cárguelo antes con \`lms load ${m}\`, o suba LLM_TIMEOUT_MS.`,
  modelReady: (m, loaded) => `El modelo "${m}" está ${loaded ? "cargado" : "disponible"}.`,
  completed: (ms, reply) => `Respuesta en ${ms} ms: "${reply}".`,
  ready: "LM Studio está listo para las sugerencias.",
  notReady: "LM Studio no está listo para las sugerencias.",
  fix: "solución:",
  stats: (ms, tokens, perSecond) => `latencia ${ms} ms, ${tokens} tokens, ${perSecond} tokens/s`,
};

export const checkMessages = (language: HintLanguage): CheckMessages =>
  language === "es" ? es : en;

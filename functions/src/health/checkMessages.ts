import type { ErrorCode } from "../core/errorCodes";
import { type Catalog, type Language, messagesFor } from "../core/language";

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
  embeddingModelMissing(model: string, available: string): string;
  embeddingModelMissingFix(model: string): string;
  embeddingModelIsChat(model: string, type: string): string;
  embeddingModelReady(model: string, state: string): string;
  embedded(ms: number, dimensions: number): string;
  tooManyDimensions(dimensions: number, max: number): string;
  tooManyDimensionsFix(max: number): string;
  embeddingDroppedFix(model: string): string;
  autoEvict: string;
  autoEvictFix(chatModel: string, embeddingModel: string): string;
  embeddingReady: string;
  embeddingNotReady: string;
  none: string;
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
  modelsAvailable: (n, loaded) => `${n} chat model(s) available, ${loaded} loaded.`,
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
  embeddingModelMissing: (m, available) =>
    `Embedding model "${m}" is not available. Embedding models on the server: ${available}.`,
  embeddingModelMissingFix: (m) =>
    `Download and load it (\`lms get ${m}\`, \`lms load ${m}\`), or set LLM_STUDIO_CHECK_EMBEDDING_MODEL / settings/ai.tasks.embeddings.model to one of the server's embedding models.`,
  embeddingModelIsChat: (m, type) =>
    `"${m}" is a chat model (type ${type}), not an embedding model.`,
  embeddingModelReady: (m, state) =>
    state === "loaded"
      ? `Embedding model "${m}" is loaded.`
      : state === "not-loaded"
        ? `Embedding model "${m}" is downloaded, not loaded: the first embedding loads it.`
        : `Embedding model "${m}" is listed.`,
  embedded: (ms, d) => `Embedding in ${ms} ms: ${d} dimensions.`,
  tooManyDimensions: (d, max) =>
    `The model's vectors have ${d} dimensions: Firestore's vector search takes at most ${max}.`,
  tooManyDimensionsFix: (max) =>
    `Choose an embedding model of at most ${max} dimensions (text-embedding-nomic-embed-text-v1.5 has 768).`,
  embeddingDroppedFix: (m) =>
    `The server listed its models but dropped the embeddings request: LM Studio's server log (Developer tab) says why, most often that "${m}" failed to load (memory). Load it with \`lms load ${m}\`.`,
  autoEvict:
    "LM Studio's JIT Auto-Evict keeps only one model loaded on demand: the chat model and the embedding model evict each other, and every swap reloads one.",
  autoEvictFix: (chat, embedding) =>
    `Load both ahead of time (models loaded with lms load are never evicted): \`lms load ${chat}\` and \`lms load ${embedding}\`.`,
  embeddingReady: "The embedding model is ready for the knowledge base.",
  embeddingNotReady:
    "The embedding model is not ready: articles are not indexed and suggestions go without knowledge.",
  none: "none",
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
  wrong_model_type: (l) => `${l} rechazó el modelo: no es del tipo que pide la llamada`,
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
  modelsAvailable: (n, loaded) => `${n} modelo(s) de chat disponible(s), ${loaded} cargado(s).`,
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
  embeddingModelMissing: (m, available) =>
    `El modelo de embeddings "${m}" no está disponible. Modelos de embeddings en el servidor: ${available}.`,
  embeddingModelMissingFix: (m) =>
    `Descárguelo y cárguelo (\`lms get ${m}\`, \`lms load ${m}\`), o ponga en LLM_STUDIO_CHECK_EMBEDDING_MODEL / settings/ai.tasks.embeddings.model uno de los modelos de embeddings del servidor.`,
  embeddingModelIsChat: (m, type) =>
    `"${m}" es un modelo de chat (tipo ${type}), no un modelo de embeddings.`,
  embeddingModelReady: (m, state) =>
    state === "loaded"
      ? `El modelo de embeddings "${m}" está cargado.`
      : state === "not-loaded"
        ? `El modelo de embeddings "${m}" está descargado pero no cargado: el primer embedding lo carga.`
        : `El modelo de embeddings "${m}" figura en la lista.`,
  embedded: (ms, d) => `Embedding en ${ms} ms: ${d} dimensiones.`,
  tooManyDimensions: (d, max) =>
    `Los vectores del modelo tienen ${d} dimensiones: la búsqueda vectorial de Firestore admite como máximo ${max}.`,
  tooManyDimensionsFix: (max) =>
    `Elija un modelo de embeddings de ${max} dimensiones o menos (text-embedding-nomic-embed-text-v1.5 tiene 768).`,
  embeddingDroppedFix: (m) =>
    `El servidor listó sus modelos pero cortó la solicitud de embeddings: el log del servidor de LM Studio (pestaña Developer) dice por qué, casi siempre que "${m}" no se pudo cargar (memoria). Cárguelo con \`lms load ${m}\`.`,
  autoEvict:
    "El Auto-Evict de JIT de LM Studio mantiene un solo modelo cargado a pedido: el modelo de chat y el de embeddings se desalojan uno al otro, y cada cambio vuelve a cargar uno.",
  autoEvictFix: (chat, embedding) =>
    `Cargue los dos de antemano (los modelos cargados con lms load nunca se desalojan): \`lms load ${chat}\` y \`lms load ${embedding}\`.`,
  embeddingReady: "El modelo de embeddings está listo para la base de conocimiento.",
  embeddingNotReady:
    "El modelo de embeddings no está listo: los artículos no se indexan y las sugerencias van sin conocimiento.",
  none: "ninguno",
  fix: "solución:",
  stats: (ms, tokens, perSecond) => `latencia ${ms} ms, ${tokens} tokens, ${perSecond} tokens/s`,
};

const catalog: Catalog<CheckMessages> = { en, es };

export const checkMessages = (language: Language): CheckMessages => messagesFor(catalog, language);

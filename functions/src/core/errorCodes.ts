/**
 * The one list of error codes a generation can end with, and what each one does: the operator's
 * hint, whether another attempt could help, whether the fallback provider takes over, and
 * whether it counts against the server's circuit breaker. The docs (docs/data-contract.md), the result documents, the
 * logs and the tests all spell the codes exactly like this.
 *
 * `serverSide` in the table means "only when the failure is the server's": a 5xx, 408, 409, or an
 * error with no HTTP status (an error event inside a stream). Another 4xx is about our request.
 *
 * One error style: a reader of input (a document, the environment, the settings) throws a
 * GenerationError naming the field; a step whose failure is an outcome (the router's answer,
 * the engine's plan, an embedding batch) returns it as a value. The edge between the two is
 * asGenerationError, which turns a caught GenerationError into that value and lets anything
 * else (a bug, Firestore) go on up.
 */
import { type Catalog, type Language, messagesFor } from "./language";

type Rule = boolean | "serverSide";

interface ErrorBehaviour {
  /**
   * What an operator should do, in each language: the team's (`settings/ai.locale`) on what is
   * stored, the command's on a terminal. Read through hintFor, the only way to a hint.
   */
  hint: Catalog<string>;
  /** Another attempt at the same server could succeed. */
  retryable: Rule;
  /** The next provider in the workspace's chain may serve instead. */
  fallsBack: Rule;
  /** Says the server is unwell: counts towards opening its circuit breaker. */
  countsAgainstServer: Rule;
}

export const ERROR_TABLE = {
  provider_unreachable: {
    hint: {
      en: 'Start the LM Studio server (Developer tab or `lms server start`), enable "Serve on Local Network" if the functions run on another machine, and check LLM_STUDIO_URL (default http://localhost:1234).',
      es: 'Inicie el servidor de LM Studio (pestaña Developer o `lms server start`), active "Serve on Local Network" si las funciones corren en otra máquina, y revise LLM_STUDIO_URL (por defecto http://localhost:1234).',
    },
    retryable: true,
    fallsBack: true,
    countsAgainstServer: true,
  },
  provider_timeout: {
    hint: {
      en: "The model answered too slowly: the first request after a model loads can take tens of seconds. Raise LLM_TIMEOUT_MS, pick a smaller model, or keep it loaded (`lms load`).",
      es: "El modelo respondió demasiado lento: la primera solicitud después de cargar un modelo puede tardar decenas de segundos. Suba LLM_TIMEOUT_MS, elija un modelo más chico o déjelo cargado (`lms load`).",
    },
    retryable: true,
    fallsBack: true,
    countsAgainstServer: true,
  },
  model_not_found: {
    hint: {
      en: "The model in settings/ai.defaultModel is not downloaded or not loaded in LM Studio. Run `npm run llm:check` to list the available models, then `lms get <model>` / `lms load <model>` or change defaultModel.",
      es: "El modelo de settings/ai.defaultModel no está descargado o no está cargado en LM Studio. Ejecute `npm run llm:check` para ver los modelos disponibles, y luego `lms get <modelo>` / `lms load <modelo>`, o cambie defaultModel.",
    },
    retryable: false,
    fallsBack: true,
    countsAgainstServer: false,
  },
  wrong_model_type: {
    hint: {
      en: 'The model is of the wrong kind for the call: a chat model was asked for embeddings, or an embedding model to chat. Set settings/ai.tasks.embeddings.model to an embedding model (type "embeddings" in `npm run llm:check`, e.g. text-embedding-nomic-embed-text-v1.5) and defaultModel to a chat model.',
      es: 'El modelo no es del tipo que pide la llamada: se le pidieron embeddings a un modelo de chat, o chat a un modelo de embeddings. Ponga en settings/ai.tasks.embeddings.model un modelo de embeddings (tipo "embeddings" en `npm run llm:check`, p. ej. text-embedding-nomic-embed-text-v1.5) y en defaultModel un modelo de chat.',
    },
    retryable: false,
    fallsBack: true,
    countsAgainstServer: false,
  },
  provider_auth: {
    hint: {
      en: 'The provider rejected the credentials. For LM Studio with "Require Authentication" on, set LLM_STUDIO_API_KEY to an LM Studio API token; for OpenAI, check OPENAI_API_KEY.',
      es: 'El proveedor rechazó las credenciales. Con "Require Authentication" activo en LM Studio, ponga en LLM_STUDIO_API_KEY un token de API de LM Studio; para OpenAI, revise OPENAI_API_KEY.',
    },
    retryable: false,
    fallsBack: true,
    countsAgainstServer: true,
  },
  provider_rate_limited: {
    hint: {
      en: 'The provider is rate limiting requests. Lower LLM_CONCURRENCY or raise the provider\'s limit (LM Studio: "Max Concurrent Predictions").',
      es: 'El proveedor está limitando las solicitudes. Baje LLM_CONCURRENCY o suba el límite del proveedor (LM Studio: "Max Concurrent Predictions").',
    },
    retryable: true,
    fallsBack: true,
    countsAgainstServer: true,
  },
  provider_error: {
    hint: {
      en: "The provider failed while answering. Check the LM Studio server log (Developer tab) for the request; it usually names the cause.",
      es: "El proveedor falló al responder. Revise el log del servidor de LM Studio (pestaña Developer): suele decir la causa.",
    },
    retryable: "serverSide",
    fallsBack: "serverSide",
    countsAgainstServer: "serverSide",
  },
  invalid_response: {
    hint: {
      en: "The model returned no usable reply text. Reasoning models can spend the whole budget thinking: raise settings/ai.maxTokens, or use a non-reasoning model.",
      es: "El modelo no devolvió un texto de respuesta utilizable. Los modelos de razonamiento pueden gastar todo el presupuesto pensando: suba settings/ai.maxTokens o use un modelo sin razonamiento.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  context_too_long: {
    hint: {
      en: "The prompt does not fit the model's context window. Lower CONTEXT_MESSAGES or CONTEXT_CHAR_BUDGET, or load the model with a larger context length in LM Studio.",
      es: "El prompt no entra en la ventana de contexto del modelo. Baje CONTEXT_MESSAGES o CONTEXT_CHAR_BUDGET, o cargue el modelo con un contexto más largo en LM Studio.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  invalid_config: {
    hint: {
      en: "A configuration value is invalid; the message names the field. Fix workspaces/{workspaceId}/settings/ai or the functions' environment variables.",
      es: "Un valor de configuración no es válido; el mensaje dice cuál. Corríjalo en workspaces/{workspaceId}/settings/ai o en las variables de entorno de las funciones.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  storage_rejected: {
    hint: {
      en: "Firestore refused to store the result (larger than a document may be, or not valid text). The model was asked once and is not asked again for this message; lower settings/ai.maxTokens if it recurs.",
      es: "Firestore rechazó guardar el resultado (más grande de lo que admite un documento, o texto inválido). El modelo se consultó una vez y no se vuelve a consultar para este mensaje; si se repite, baje settings/ai.maxTokens.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  bridge_offline: {
    hint: {
      en: "No bridge worker picked the job up in time (BRIDGE_PICKUP_MS). Start `npm run bridge` on the PC that runs LM Studio, check its Firestore credentials, and see its presence in the health endpoint.",
      es: "Ningún bridge tomó el trabajo a tiempo (BRIDGE_PICKUP_MS). Inicie `npm run bridge` en la PC que corre LM Studio, revise sus credenciales de Firestore y vea su presencia en el endpoint de salud.",
    },
    retryable: false,
    fallsBack: true,
    countsAgainstServer: false,
  },
  search_failed: {
    hint: {
      en: "Firestore's vector search over the knowledge chunks failed; the message says why. A missing index: deploy firestore.indexes.json (`firebase deploy --only firestore:indexes`), whose vector index must have the embedding model's dimensions (768 for text-embedding-nomic-embed-text-v1.5).",
      es: "Falló la búsqueda vectorial de Firestore sobre los fragmentos de conocimiento; el mensaje dice por qué. Si falta el índice: despliegue firestore.indexes.json (`firebase deploy --only firestore:indexes`), cuyo índice vectorial debe tener las dimensiones del modelo de embeddings (768 para text-embedding-nomic-embed-text-v1.5).",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  invalid_request: {
    hint: {
      en: "The request from the inbox is malformed or refers to something that does not exist; the message names the field. Fix the client that wrote it.",
      es: "La solicitud de la bandeja está mal formada o se refiere a algo que no existe; el mensaje dice qué campo. Corrija el cliente que la escribió.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  request_conflict: {
    hint: {
      en: "The agent asked too early or too late: the suggestion is still being generated, or a newer customer message owns the conversation now (the message says which). Wait until it is ready and ask again, or regenerate the newest message.",
      es: "El agente lo pidió antes o después de tiempo: la sugerencia todavía se está generando, o un mensaje más nuevo del cliente es ahora el de la conversación (el mensaje dice cuál). Espere a que esté lista y vuelva a pedirlo, o regenere el mensaje más nuevo.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  quota_exceeded: {
    hint: {
      en: "This member made more AI requests today than AI_REQUESTS_PER_MEMBER_PER_DAY allows. Wait until tomorrow (UTC) or raise the limit.",
      es: "Este miembro hizo hoy más solicitudes de IA de las que permite AI_REQUESTS_PER_MEMBER_PER_DAY. Espere a mañana (UTC) o suba el límite.",
    },
    retryable: false,
    fallsBack: false,
    countsAgainstServer: false,
  },
  no_provider: {
    hint: {
      en: "No provider is available for this workspace. Set LLM_STUDIO_ENABLED=true for LM Studio, or OPENAI_API_KEY for OpenAI.",
      es: "No hay proveedor disponible para este workspace. Ponga LLM_STUDIO_ENABLED=true para LM Studio, u OPENAI_API_KEY para OpenAI.",
    },
    retryable: false,
    fallsBack: true,
    countsAgainstServer: false,
  },
} as const satisfies Record<string, ErrorBehaviour>;

export type ErrorCode = keyof typeof ERROR_TABLE;
export const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

/*
 * The names modules being rewritten elsewhere still import: the one language type and the one
 * picker of core/language, under their former names. New code imports core/language.
 */

/** What an operator should do about a code, in the reader's language; stored next to the message. */
export function hintFor(code: ErrorCode, language: Language): string {
  return messagesFor(ERROR_TABLE[code].hint, language);
}

export interface ErrorDetails {
  /** The HTTP status the server answered with, when there was one. */
  status?: number;
  retryAfterMs?: number;
  /**
   * Overrides the table for one failure: a request our own circuit breaker refused before it
   * left (another request became the half-open probe) is worth retrying elsewhere, whatever the
   * server's last error was.
   */
  retryable?: boolean;
}

const isServerSideStatus = (status: number | undefined) =>
  status === undefined || status >= 500 || status === 408 || status === 409;

/**
 * A failure the engine records on the result as `error: { code, message, hint }`, the hint from
 * hintFor in the team's language (a GenerationError has no language of its own).
 */
export class GenerationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "GenerationError";
  }

  private applies(rule: Rule): boolean {
    return rule === "serverSide" ? isServerSideStatus(this.details.status) : rule;
  }

  get retryable(): boolean {
    return this.details.retryable ?? this.applies(ERROR_TABLE[this.code].retryable);
  }

  get fallsBack(): boolean {
    return this.applies(ERROR_TABLE[this.code].fallsBack);
  }

  get countsAgainstServer(): boolean {
    return this.applies(ERROR_TABLE[this.code].countsAgainstServer);
  }
}

/**
 * A caught value as the GenerationError it was thrown as (a validation, a classified provider
 * failure). Anything else is a bug, not an outcome to record: it is thrown on.
 */
export function asGenerationError(err: unknown): GenerationError {
  if (err instanceof GenerationError) return err;
  throw err;
}

/** A configuration value failed validation; the message names the field and the allowed values. */
export function invalidConfig(message: string): GenerationError {
  return new GenerationError("invalid_config", message);
}

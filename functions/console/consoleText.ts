/*
 * The console's words, in Spanish or English by the browser's language; error hints come from
 * core/errorCodes, the same words the suggestions carry.
 */
export type Language = "es" | "en";

export const pickLanguage = (tags: readonly string[]): Language =>
  tags.some((t) => t.toLowerCase().startsWith("es")) && !tags[0]?.toLowerCase().startsWith("en")
    ? "es"
    : "en";

const EN = {
  title: "AI operator console",
  signIn: "Sign in",
  signOut: "Sign out",
  email: "Email",
  password: "Password",
  signInFailed: "Sign-in failed: check the email and password.",
  workspace: "Workspace",
  days: "Days",
  noWorkspaces:
    'You administer no workspace. An admin is a member with role "admin" (workspaces/{w}/members/{uid}).',
  refused: 'This console is for admins of the workspace. Ask an admin to give you role "admin".',
  loadFailed: "Could not load the console:",
  noAuthEmulator:
    "Signing in here needs the Auth emulator. Run `npm run emulators` (or `bash scripts/start.sh`) and open the console address it prints: the demo team signs in there.",
  live: "Live state",
  refreshedAt: "Checked at",
  up: "up",
  down: "down",
  noServers: "No LM Studio server or bridge reported yet: start LM Studio (or `npm run bridge`).",
  models: "Models",
  inFlight: "Suggestions in flight",
  queued: "Jobs queued for the bridge",
  oldest: "oldest",
  breakers: "Circuit breakers",
  noBreakers: "No breaker has changed state yet.",
  state: "State",
  modelStates: { loaded: "loaded", "not-loaded": "not loaded", unknown: "state unknown" } as Record<
    string,
    string
  >,
  breakerStates: { closed: "closed", open: "open", half_open: "half open" } as Record<
    string,
    string
  >,
  lastError: "last error",
  suggestions: "Suggestions by status",
  suggestionsCount: "Suggestions",
  latency: "Latency (ms)",
  fallbacksErrors: "Fallbacks and errors",
  costAvoided: "Cost avoided at OpenAI's prices (USD)",
  day: "Day",
  ready: "ready",
  errors: "errors",
  skipped: "skipped",
  superseded: "superseded",
  fallbacks: "fallbacks",
  p50: "p50",
  p95: "p95",
  firstText: "first text",
  byCode: "By code",
  noSuggestions: "No suggestions yet: run `npm run demo`.",
  providers: "LM Studio and OpenAI, side by side",
  providersHint:
    "The guide's step 3 (LM Studio as primary) once LM Studio's acceptance and errors match OpenAI's. rollout.llm_studio in settings/ai sets its share of conversations.",
  provider: "Provider",
  requests: "Requests",
  acceptance: "Accepted (sent as is or edited)",
  sentAsIs: "sent as is",
  edited: "edited",
  notUsed: "not used",
  errorRate: "Error rate",
  cloudCost: "At OpenAI's prices (USD)",
  perModel: "Per model",
  model: "Model",
  knowledge: "Knowledge base",
  knowledgeStatus: "Knowledge status",
  noMatchRate: "No-match rate",
  index: "Articles indexed",
  reports: "Conversation reports",
  reportsMade: "Reports made",
  sentiment: "Sentiment",
  resolution: "Resolution",
  noReports: "No reports yet: set flags.reports to true in settings/ai and close a conversation.",
  none: "—",
};
type Words = typeof EN;

const ES: Words = {
  title: "Consola de IA",
  signIn: "Ingresar",
  signOut: "Salir",
  email: "Correo",
  password: "Contraseña",
  signInFailed: "No se pudo ingresar: revise el correo y la contraseña.",
  workspace: "Workspace",
  days: "Días",
  noWorkspaces:
    'No administra ningún workspace. Un admin es un miembro con role "admin" (workspaces/{w}/members/{uid}).',
  refused: 'Esta consola es para los admins del workspace. Pida a un admin que le dé role "admin".',
  loadFailed: "No se pudo cargar la consola:",
  noAuthEmulator:
    "Para iniciar sesión aquí hace falta el emulador de Auth. Corra `npm run emulators` (o `bash scripts/start.sh`) y abra la dirección de la consola que muestra: ahí entra el equipo de demostración.",
  live: "Estado en vivo",
  refreshedAt: "Consultado a las",
  up: "activo",
  down: "caído",
  noServers:
    "Ningún servidor de LM Studio ni bridge informó todavía: inicie LM Studio (o `npm run bridge`).",
  models: "Modelos",
  inFlight: "Sugerencias en curso",
  queued: "Trabajos en cola para el bridge",
  oldest: "el más antiguo",
  breakers: "Cortacircuitos (circuit breakers)",
  noBreakers: "Ningún cortacircuitos cambió de estado todavía.",
  state: "Estado",
  modelStates: { loaded: "cargado", "not-loaded": "sin cargar", unknown: "estado desconocido" },
  breakerStates: { closed: "cerrado", open: "abierto", half_open: "semiabierto" },
  lastError: "último error",
  suggestions: "Sugerencias por estado",
  suggestionsCount: "Sugerencias",
  latency: "Latencia (ms)",
  fallbacksErrors: "Respaldos y errores",
  costAvoided: "Costo evitado a precios de OpenAI (USD)",
  day: "Día",
  ready: "listas",
  errors: "errores",
  skipped: "omitidas",
  superseded: "reemplazadas",
  fallbacks: "respaldos",
  p50: "p50",
  p95: "p95",
  firstText: "primer texto",
  byCode: "Por código",
  noSuggestions: "Todavía no hay sugerencias: ejecute `npm run demo`.",
  providers: "LM Studio y OpenAI, lado a lado",
  providersHint:
    "El paso 3 de la guía (LM Studio como principal) llega cuando la aceptación y los errores de LM Studio igualan a los de OpenAI. rollout.llm_studio en settings/ai fija su porcentaje de conversaciones.",
  provider: "Proveedor",
  requests: "Solicitudes",
  acceptance: "Aceptadas (enviadas tal cual o editadas)",
  sentAsIs: "tal cual",
  edited: "editadas",
  notUsed: "no usadas",
  errorRate: "Tasa de error",
  cloudCost: "A precios de OpenAI (USD)",
  perModel: "Por modelo",
  model: "Modelo",
  knowledge: "Base de conocimiento",
  knowledgeStatus: "Estado de conocimiento",
  noMatchRate: "Tasa sin coincidencias",
  index: "Artículos indexados",
  reports: "Informes de conversación",
  reportsMade: "Informes hechos",
  sentiment: "Sentimiento",
  resolution: "Resolución",
  noReports:
    "Todavía no hay informes: ponga flags.reports en true en settings/ai y cierre una conversación.",
  none: "—",
};

export const words = (language: Language): Words => (language === "es" ? ES : EN);
export type { Words };

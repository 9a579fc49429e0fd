import type { AgentUseOutcome, Tone } from "../inbox-kit/src";
import { type Catalog, type Language, messagesFor } from "../src/core/language";

/*
 * The reference inbox's words, in Spanish or English by the browser's language
 * (core/language's pickLanguage); error hints come with the suggestion, already in the team's language.
 */

const EN = {
  title: "Inbox",
  signIn: "Sign in",
  signOut: "Sign out",
  email: "Email",
  password: "Password",
  signInFailed: "Sign-in failed: check the email and password.",
  workspace: "Workspace",
  open: "Open",
  signedInAs: "Signed in as",
  noAuthEmulator:
    "Signing in here needs the Auth emulator. Run `npm run emulators` (or `bash scripts/start.sh`) and open the inbox address it prints: agent@demo-shop.test / demo-password signs in there.",
  signedOut:
    "Sign in to see your team's conversations. Locally: agent@demo-shop.test / demo-password.",
  notMember: (w: string, uid: string) =>
    `You are not a member of workspace "${w}". An admin adds you as workspaces/${w}/members/${uid} (role "agent" or "admin").`,
  loadFailed: "Could not read the conversations:",
  conversations: "Conversations",
  noConversations:
    "No conversations yet. They appear as customers write through your channel integration; locally, start one with New conversation.",
  pickConversation: "Pick a conversation on the left to answer it.",
  customer: "Customer",
  you: "You",
  noMessages: "No messages yet.",
  messages: "Messages",
  suggestion: "Suggestion",
  states: {
    hidden: "none",
    waiting: "thinking…",
    queued: "waiting for the PC's bridge…",
    streaming: "writing…",
    ready: "ready",
    error: "failed",
  },
  noSuggestion: "No suggestion for this message.",
  version: "version",
  cut: "The reply may be cut: the model reached its token limit.",
  sources: "Sources",
  pickOption: "Pick a reply",
  option: "Option",
  failedForAgent: "The suggestion failed. Write your reply; an admin can see why.",
  hint: "What to do:",
  reply: "Reply",
  draftPlaceholder: "Write a reply, or wait for the suggestion…",
  send: "Send",
  sendKeys: "Ctrl+Enter",
  regenerate: "Regenerate",
  regenerateKeys: "Alt+R",
  instruction: "Instruction for the new version (optional)",
  instructionPlaceholder: "e.g. shorter, offer a refund",
  tone: "Tone",
  tones: {
    tu: "tú",
    usted: "usted",
    vos: "vos",
    formal: "formal",
    friendly: "friendly",
  } satisfies Record<Tone, string>,
  rewrite: "Change tone",
  used: { sent_as_is: "sent as is", edited: "sent edited", not_used: "not used" } satisfies Record<
    AgentUseOutcome,
    string
  >,
  options: "Options",
  report: "Report",
  requestReport: "Report now",
  working: "Working…",
  sent: "Sent.",
  emptyDraft: "Write something to send first.",
  actionFailed: "It did not work:",
  noReport: "No report yet: one is written when the conversation closes, or ask for one now.",
  reportWriting: "Writing the report…",
  sentiment: { positive: "positive", neutral: "neutral", negative: "negative" },
  resolution: { resolved: "resolved", pending: "pending", escalated: "escalated" },
  nextSteps: "Next steps",
  customerBox: "Customer (development only)",
  customerBoxNote:
    "Posts as the customer, the way the channel integration would: straight to the Firestore emulator, bypassing the rules. Not available in production.",
  customerSays: "Customer message",
  customerSend: "Send as the customer",
  newConversation: "New conversation",
  closeConversation: "Close conversation",
  closed: "closed",
  shortcuts: "Shortcuts: Ctrl+Enter sends, Alt+R regenerates.",
};

export type Words = typeof EN;

const ES: Words = {
  title: "Bandeja de entrada",
  signIn: "Ingresar",
  signOut: "Salir",
  email: "Correo",
  password: "Contraseña",
  signInFailed: "No se pudo ingresar: revise el correo y la contraseña.",
  workspace: "Espacio de trabajo",
  open: "Abrir",
  signedInAs: "Sesión de",
  noAuthEmulator:
    "Para ingresar aquí hace falta el emulador de Auth. Ejecute `npm run emulators` (o `bash scripts/start.sh`) y abra la dirección de la bandeja que muestra: agent@demo-shop.test / demo-password ingresa ahí.",
  signedOut:
    "Ingrese para ver las conversaciones de su equipo. En local: agent@demo-shop.test / demo-password.",
  notMember: (w: string, uid: string) =>
    `No es miembro del espacio "${w}". Un admin lo agrega como workspaces/${w}/members/${uid} (role "agent" o "admin").`,
  loadFailed: "No se pudieron leer las conversaciones:",
  conversations: "Conversaciones",
  noConversations:
    "Todavía no hay conversaciones. Aparecen cuando los clientes escriben por su integración de canal; en local, empiece una con Nueva conversación.",
  pickConversation: "Elija una conversación a la izquierda para responderla.",
  customer: "Cliente",
  you: "Usted",
  noMessages: "Todavía no hay mensajes.",
  messages: "Mensajes",
  suggestion: "Sugerencia",
  states: {
    hidden: "ninguna",
    waiting: "pensando…",
    queued: "esperando al puente de la PC…",
    streaming: "escribiendo…",
    ready: "lista",
    error: "falló",
  },
  noSuggestion: "No hay sugerencia para este mensaje.",
  version: "versión",
  cut: "La respuesta puede estar cortada: el modelo llegó a su límite de tokens.",
  sources: "Fuentes",
  pickOption: "Elija una respuesta",
  option: "Opción",
  failedForAgent: "La sugerencia falló. Escriba su respuesta; un admin puede ver por qué.",
  hint: "Qué hacer:",
  reply: "Respuesta",
  draftPlaceholder: "Escriba una respuesta, o espere la sugerencia…",
  send: "Enviar",
  sendKeys: "Ctrl+Enter",
  regenerate: "Otra versión",
  regenerateKeys: "Alt+R",
  instruction: "Indicación para la nueva versión (opcional)",
  instructionPlaceholder: "p. ej. más corta, ofrecé el reembolso",
  tone: "Tono",
  tones: { tu: "tú", usted: "usted", vos: "vos", formal: "formal", friendly: "cercano" },
  rewrite: "Cambiar el tono",
  used: { sent_as_is: "enviada tal cual", edited: "enviada con cambios", not_used: "no usada" },
  options: "Opciones",
  report: "Informe",
  requestReport: "Informe ahora",
  working: "Trabajando…",
  sent: "Enviado.",
  emptyDraft: "Escriba algo para enviar.",
  actionFailed: "No funcionó:",
  noReport:
    "Todavía no hay informe: se escribe cuando la conversación se cierra, o pida uno ahora.",
  reportWriting: "Escribiendo el informe…",
  sentiment: { positive: "positivo", neutral: "neutral", negative: "negativo" },
  resolution: { resolved: "resuelta", pending: "pendiente", escalated: "escalada" },
  nextSteps: "Próximos pasos",
  customerBox: "Cliente (solo en desarrollo)",
  customerBoxNote:
    "Escribe como el cliente, como lo haría la integración de canal: directo al emulador de Firestore, sin pasar por las reglas. No existe en producción.",
  customerSays: "Mensaje del cliente",
  customerSend: "Enviar como el cliente",
  newConversation: "Nueva conversación",
  closeConversation: "Cerrar la conversación",
  closed: "cerrada",
  shortcuts: "Atajos: Ctrl+Enter envía, Alt+R pide otra versión.",
};

const catalog: Catalog<Words> = { en: EN, es: ES };

export const inboxWords = (language: Language): Words => messagesFor(catalog, language);

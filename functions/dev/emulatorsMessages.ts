import { type Catalog, type Language, messagesFor } from "../src/core/language";

/*
 * What `npm run emulators` says of itself, in English and in Spanish (src/cli/commandLanguage.ts
 * decides). firebase-tools' own lines are passed through as it prints them; the LM Studio line is
 * stackMessages.ts's, the plan's notes emulatorSuite/suiteMessages.ts's.
 */
export interface EmulatorsMessages {
  usage(lang: string): string;
  uiValue(value: string): string;
  orDev(problems: string): string;
  didNotStart(reason: string): string;
  withoutIt: string;
  seedFailed(message: string): string;
  ready(project: string): string;
  hosting(url: string): string;
  /** The reference inbox: the page a newcomer opens. */
  inbox(url: string): string;
  firestore(host: string): string;
  functions(host: string): string;
  auth(host: string): string;
  pubsub(host: string): string;
  ui(url: string): string;
  uiOff: string;
  uiUnavailable: string;
  team(workspace: string, password: string): string;
  environmentFiles(files: string[], secretLocal: boolean): string;
  tryDemo: string;
  endedByItself(logFile: string): string;
  stopping: string;
}

const en: EmulatorsMessages = {
  usage: (
    lang,
  ) => `Usage: npm run emulators [-- --simulate-lm-studio] [-- --or-dev] [-- --lang es|en]

Runs the Firebase emulator suite (firebase emulators:start) with this repository's functions.
--simulate-lm-studio  answer with the project's LM Studio test server instead of LM Studio:
                      canned replies, for trying the stack on a machine without LM Studio.
--or-dev              where the suite cannot run (no Java), run npm run dev instead: the
                      functions in-process on the embedded Firestore emulator.
EMULATOR_UI=auto|on|off  the Emulator UI: auto starts it where it is cached or can be downloaded.
${lang}`,
  uiValue: (value) => `EMULATOR_UI must be one of auto, on, off; got "${value}".`,
  orDev: (problems) =>
    `The Firebase emulator suite cannot run here (${problems}): running npm run dev instead, the functions in-process on an embedded Firestore emulator.`,
  didNotStart: (reason) => `✗ The emulator suite did not start: ${reason}`,
  withoutIt:
    "  Without it, `npm run dev` runs the functions in-process on an embedded Firestore emulator (no Java needed).",
  seedFailed: (message) => `✗ Could not seed the demo team: ${message}`,
  ready: (project) =>
    `Firebase emulator suite ready (project ${project}), with this repository's functions/lib:`,
  hosting: (url) => `  Hosting    ${url}  — health ${url}/api/ai/health, console ${url}/console/`,
  inbox: (url) =>
    `  Inbox      ${url}/inbox/  — the agents' screen: sign in as the agent, start a conversation in its customer box`,
  firestore: (host) => `  Firestore  ${host}  (rules and indexes of the repository)`,
  functions: (host) => `  Functions  ${host}`,
  auth: (host) => `  Auth       ${host}`,
  pubsub: (host) =>
    `  Pub/Sub    ${host}  (sweepBridgeJobs' schedule: topic firebase-schedule-sweepBridgeJobs)`,
  ui: (url) => `  Emulator UI  ${url}`,
  uiOff: "  Emulator UI  not started (EMULATOR_UI=off)",
  uiUnavailable:
    "  Emulator UI  not started: it is a download, not available here (EMULATOR_UI=on to try anyway)",
  team: (w, password) => `Demo team of workspace ${w} (password ${password}):`,
  environmentFiles: (files, secretLocal) => {
    const listed = files.length ? files.join(", ") : "none (the embedded defaults)";
    return `Functions' environment files: ${secretLocal ? listed : `${listed}; no functions/.secret.local, so the Functions emulator asks Secret Manager for the secrets and warns (harmless: no key = none)`}`;
  },
  tryDemo:
    "Try `npm run demo` in another terminal. firebase-tools' log: functions/build-dev/emulators/firebase-tools.log. Ctrl-C stops.",
  endedByItself: (logFile) => `✗ firebase emulators:start ended by itself; see ${logFile}`,
  stopping: "Stopping the emulators…",
};

const es: EmulatorsMessages = {
  usage: (lang) => `Uso: npm run emulators [-- --simulate-lm-studio] [-- --or-dev] [-- --lang es|en]

Corre la suite de emuladores de Firebase (firebase emulators:start) con las funciones de este
repositorio.
--simulate-lm-studio  responde con el servidor de prueba de LM Studio del proyecto en lugar de
                      LM Studio: respuestas fijas, para probar todo en una máquina sin LM Studio.
--or-dev              donde la suite no puede correr (sin Java), corre npm run dev en su lugar:
                      las funciones en el mismo proceso, con el emulador embebido de Firestore.
EMULATOR_UI=auto|on|off  la Emulator UI: auto la arranca si está en caché o se puede descargar.
${lang}`,
  uiValue: (value) => `EMULATOR_UI debe ser auto, on u off; se recibió "${value}".`,
  orDev: (problems) =>
    `La suite de emuladores de Firebase no puede correr aquí (${problems}): se corre npm run dev en su lugar, con las funciones en el mismo proceso y un emulador embebido de Firestore.`,
  didNotStart: (reason) => `✗ La suite de emuladores no arrancó: ${reason}`,
  withoutIt:
    "  Sin ella, `npm run dev` corre las funciones en el mismo proceso con un emulador embebido de Firestore (no necesita Java).",
  seedFailed: (message) => `✗ No se pudo crear el equipo de demostración: ${message}`,
  ready: (project) =>
    `Suite de emuladores de Firebase lista (proyecto ${project}), con functions/lib de este repositorio:`,
  hosting: (url) => `  Hosting    ${url}  — salud ${url}/api/ai/health, consola ${url}/console/`,
  inbox: (url) =>
    `  Bandeja    ${url}/inbox/  — la pantalla de los agentes: ingrese como el agente y empiece una conversación en su cuadro de cliente`,
  firestore: (host) => `  Firestore  ${host}  (reglas e índices del repositorio)`,
  functions: (host) => `  Functions  ${host}`,
  auth: (host) => `  Auth       ${host}`,
  pubsub: (host) =>
    `  Pub/Sub    ${host}  (el horario de sweepBridgeJobs: tema firebase-schedule-sweepBridgeJobs)`,
  ui: (url) => `  Emulator UI  ${url}`,
  uiOff: "  Emulator UI  no se inició (EMULATOR_UI=off)",
  uiUnavailable:
    "  Emulator UI  no se inició: es una descarga, no disponible aquí (EMULATOR_UI=on para intentarlo igual)",
  team: (w, password) => `Equipo de demostración del workspace ${w} (contraseña ${password}):`,
  environmentFiles: (files, secretLocal) => {
    const listed = files.length
      ? files.join(", ")
      : "ninguno (los valores por defecto incorporados)";
    return `Archivos de entorno de las funciones: ${secretLocal ? listed : `${listed}; no hay functions/.secret.local, así que el emulador de Functions pide los secretos a Secret Manager y avisa (no pasa nada: sin clave = none)`}`;
  },
  tryDemo:
    "Pruebe `npm run demo` en otra terminal. Log de firebase-tools: functions/build-dev/emulators/firebase-tools.log. Ctrl-C lo detiene.",
  endedByItself: (logFile) => `✗ firebase emulators:start terminó por su cuenta; vea ${logFile}`,
  stopping: "Deteniendo los emuladores…",
};

const catalog: Catalog<EmulatorsMessages> = { en, es };

export const emulatorsMessages = (language: Language): EmulatorsMessages =>
  messagesFor(catalog, language);

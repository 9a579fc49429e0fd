import { type Catalog, type Language, messagesFor } from "../src/core/language";

/*
 * What `npm run dev` says of itself, in English and in Spanish (src/cli/commandLanguage.ts
 * decides). The LM Studio line, the emulator and the outcome lines are stackMessages.ts's.
 */
export interface DevMessages {
  usage(lang: string): string;
  firestoreDidNotStart(port: number, message: string): string;
  healthNotServed(port: number, message: string): string;
  running: string;
  firestore(emulator: string, project: string | undefined): string;
  environmentFiles(files: string[]): string;
  health(url: string): string;
  /** The console's banner line: where it is, and what its sign-in needs. */
  console(url: string, authHost: string | undefined): string;
  embeddedFrontend: string;
  waiting: string;
  stopping: string;
}

const en: DevMessages = {
  usage: (lang) => `Usage: npm run dev [-- --simulate-lm-studio] [-- --lang es|en]

Runs the functions locally against a Firestore emulator and prints one line per outcome.
--simulate-lm-studio  answer with the project's LM Studio test server instead of LM Studio:
                      canned replies, for trying the stack on a machine without LM Studio.
${lang}`,
  firestoreDidNotStart: (port, message) =>
    `Could not start a Firestore emulator on 127.0.0.1:${port}: ${message}\n` +
    "Is another emulator using the port? Set DEV_FIRESTORE_PORT, or point at it with FIRESTORE_EMULATOR_HOST.",
  healthNotServed: (port, message) =>
    `Health endpoint not served: port ${port} is taken (${message}); set DEV_HEALTH_PORT.`,
  running: "Suggestions running locally.",
  firestore: (emulator, project) => `Firestore: ${emulator} (project ${project})`,
  environmentFiles: (files) =>
    `Environment files: ${files.length ? files.join(", ") : "none (embedded defaults)"}`,
  health: (url) => `Health: ${url}`,
  console: (url, auth) =>
    auth
      ? `Console: ${url} (sign-in: the Auth emulator at ${auth})`
      : `Console: ${url} (sign-in needs an Auth emulator: \`npm run emulators\` serves this console with one and the demo team; or set FIREBASE_AUTH_EMULATOR_HOST to a running one)`,
  embeddedFrontend:
    "Frontend: the embedded emulator serves this backend only. For frontend work install the gcloud component cloud-firestore-emulator and Java 17+ (npm run dev then starts the official emulator on this port, with the rules), or run one yourself and set FIRESTORE_EMULATOR_HOST.",
  waiting:
    "Waiting for messages, agent requests and conversation closes under workspaces/{w}/conversations/{c}, and knowledge articles under workspaces/{w}/knowledge. Try `npm run demo` in another terminal. Ctrl-C stops.",
  stopping: "Stopping…",
};

const es: DevMessages = {
  usage: (lang) => `Uso: npm run dev [-- --simulate-lm-studio] [-- --lang es|en]

Corre las funciones localmente contra un emulador de Firestore e imprime una línea por resultado.
--simulate-lm-studio  responde con el servidor de prueba de LM Studio del proyecto en lugar de
                      LM Studio: respuestas fijas, para probar todo en una máquina sin LM Studio.
${lang}`,
  firestoreDidNotStart: (port, message) =>
    `No se pudo iniciar un emulador de Firestore en 127.0.0.1:${port}: ${message}\n` +
    "¿Otro emulador usa el puerto? Ponga otro en DEV_FIRESTORE_PORT, o apunte a ese emulador con FIRESTORE_EMULATOR_HOST.",
  healthNotServed: (port, message) =>
    `El endpoint de salud no se sirve: el puerto ${port} está ocupado (${message}); ponga otro en DEV_HEALTH_PORT.`,
  running: "Sugerencias corriendo localmente.",
  firestore: (emulator, project) => `Firestore: ${emulator} (proyecto ${project})`,
  environmentFiles: (files) =>
    `Archivos de entorno: ${files.length ? files.join(", ") : "ninguno (valores por defecto incorporados)"}`,
  health: (url) => `Salud: ${url}`,
  console: (url, auth) =>
    auth
      ? `Consola: ${url} (inicio de sesión: el emulador de Auth en ${auth})`
      : `Consola: ${url} (para iniciar sesión hace falta un emulador de Auth: \`npm run emulators\` sirve esta consola con uno y con el equipo de demostración; o ponga en FIREBASE_AUTH_EMULATOR_HOST uno que esté corriendo)`,
  embeddedFrontend:
    "Frontend: el emulador embebido sirve solo a este backend. Para trabajar en el frontend instale el componente de gcloud cloud-firestore-emulator y Java 17+ (npm run dev arranca entonces el emulador oficial en este puerto, con las reglas), o corra uno por su cuenta y ponga FIRESTORE_EMULATOR_HOST.",
  waiting:
    "Esperando mensajes, solicitudes de agentes y cierres de conversación en workspaces/{w}/conversations/{c}, y artículos de conocimiento en workspaces/{w}/knowledge. Pruebe `npm run demo` en otra terminal. Ctrl-C lo detiene.",
  stopping: "Deteniendo…",
};

const catalog: Catalog<DevMessages> = { en, es };

export const devMessages = (language: Language): DevMessages => messagesFor(catalog, language);

import { EMBEDDING_MODEL, FakeLmStudio } from "../test/support/fakeLmStudio";

/*
 * `npm run dev -- --simulate-lm-studio`: the project's LM Studio test server (the one the tests
 * use, faithful to LM Studio's wire formats) on loopback, so that `npm run demo` ends in a ready
 * suggestion on a machine without LM Studio. Its replies are canned and say so.
 */
export const SIMULATED_REPLY =
  "¡Hola! Gracias por escribirnos, ya reviso tu consulta y te respondo enseguida. (Respuesta simulada: no viene de un modelo, LM Studio no está conectado.)";

export async function startSimulatedLmStudio(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await FakeLmStudio.start();
  // Written a few words at a time, as a model would, so streaming can be seen.
  server.chunkDelayMs = 60;
  server.answer = () => ({ content: SIMULATED_REPLY });
  // LM Studio's bundled embedder, so that the team's knowledge is indexed and searched too.
  server.models.push({ ...EMBEDDING_MODEL });
  return { url: server.url, close: () => server.close() };
}

import { type Catalog, type Language, messagesFor } from "../src/core/language";

/*
 * What `npm run demo` prints, in English and in Spanish (src/cli/commandLanguage.ts decides).
 * The conversation itself is the customer's, in Spanish whatever the language; statuses, codes,
 * providers and models are names.
 */
export interface DemoMessages {
  usage(sampleFaq: string, lang: string): string;
  messageNeedsText: string;
  namedEmulator(host: string): string;
  runningStack(pid: number, host: string): string;
  ownStack(emulator: string): string;
  importing(sampleFaq: string): string;
  importFailed: string;
  conversation(id: string, model: string, rag: boolean): string;
  agentSends: string;
  streaming(ms: number, tail: string): string;
  status(ms: number, status: string): string;
  noSuggestion(ms: number): string;
  suggested(provider: string, model: string, ms: number, tokens: number | undefined): string;
  hint: string;
  ended(status: string, reason: string | undefined): string;
  sources: string;
  gap(workspace: string): string;
  knowledge(status: string): string;
}

const en: DemoMessages = {
  usage: (faq, lang) => `Usage: npm run demo [-- --rag] [-- --message "…"] [-- --lang es|en]

Posts a customer message in a Spanish WhatsApp conversation of the demo workspace and prints the
suggestion as it is written, on the running local stack (npm run emulators or npm run dev) or on
one of its own.
--rag            turn the team's knowledge on: import the sample FAQ (${faq}), ask a
                 question it answers (the suggestion and its sources), then one it does not
                 (a gap, which npm run kb:gaps then lists).
--message "…"    the customer's question instead of the demo's.
${lang}`,
  messageNeedsText: "✗ --message needs the customer's text.",
  namedEmulator: (host) =>
    `Using the Firestore emulator at ${host}; \`npm run dev\` or the Functions emulator must be running there.`,
  runningStack: (pid, host) => `Using the running local stack (pid ${pid}) at ${host}.`,
  ownStack: (emulator) => `No local stack running: started one on the ${emulator}.`,
  importing: (faq) => `Importing the sample FAQ (${faq}) with npm run kb:import --wait:`,
  importFailed: "✗ The sample FAQ was not imported and indexed (see above).",
  conversation: (id, model, rag) =>
    `Conversation ${id} (WhatsApp, es-AR), model ${model}${rag ? ", knowledge on" : ""}:`,
  agentSends: "Agente (sends the suggestion)",
  streaming: (ms, tail) => `+${ms} ms  suggestion streaming  …${tail}`,
  status: (ms, status) => `+${ms} ms  suggestion ${status}`,
  noSuggestion: (ms) =>
    `✗ No suggestion within ${ms} ms. Is \`npm run dev\` (or the Functions emulator) running?`,
  suggested: (provider, model, ms, tokens) =>
    `✓ Suggested reply (${provider}, ${model}, ${ms} ms${tokens === undefined ? "" : `, ${tokens} tokens`}):`,
  hint: "hint:",
  ended: (status, reason) => `✗ Suggestion ended ${status}${reason ? ` (${reason})` : ""}.`,
  sources: "Sources (the team's knowledge base, shown to the agent beside the reply):",
  gap: (w) =>
    `No article answers this question: it is now a knowledge gap (\`npm run kb:gaps -- --workspace ${w}\` lists it).`,
  knowledge: (status) => `Knowledge: ${status}.`,
};

const es: DemoMessages = {
  usage: (faq, lang) => `Uso: npm run demo [-- --rag] [-- --message "…"] [-- --lang es|en]

Publica un mensaje de cliente en una conversación de WhatsApp en español del workspace de
demostración e imprime la sugerencia mientras se escribe, en el entorno local que esté corriendo
(npm run emulators o npm run dev) o en uno propio.
--rag            activa el conocimiento del equipo: importa las preguntas frecuentes de ejemplo
                 (${faq}), hace una pregunta que responden (la sugerencia y sus fuentes) y
                 después una que no (un hueco, que luego lista npm run kb:gaps).
--message "…"    la pregunta del cliente en lugar de la de la demostración.
${lang}`,
  messageNeedsText: "✗ --message necesita el texto del cliente.",
  namedEmulator: (host) =>
    `Usando el emulador de Firestore en ${host}; ahí tiene que estar corriendo \`npm run dev\` o el emulador de Functions.`,
  runningStack: (pid, host) =>
    `Usando el entorno local que está corriendo (pid ${pid}) en ${host}.`,
  ownStack: (emulator) => `No hay un entorno local corriendo: se inició uno en el ${emulator}.`,
  importing: (faq) =>
    `Importando las preguntas frecuentes de ejemplo (${faq}) con npm run kb:import --wait:`,
  importFailed: "✗ Las preguntas frecuentes de ejemplo no se importaron ni indexaron (vea arriba).",
  conversation: (id, model, rag) =>
    `Conversación ${id} (WhatsApp, es-AR), modelo ${model}${rag ? ", con conocimiento" : ""}:`,
  agentSends: "Agente (envía la sugerencia)",
  streaming: (ms, tail) => `+${ms} ms  sugerencia streaming  …${tail}`,
  status: (ms, status) => `+${ms} ms  sugerencia ${status}`,
  noSuggestion: (ms) =>
    `✗ Ninguna sugerencia en ${ms} ms. ¿Está corriendo \`npm run dev\` (o el emulador de Functions)?`,
  suggested: (provider, model, ms, tokens) =>
    `✓ Respuesta sugerida (${provider}, ${model}, ${ms} ms${tokens === undefined ? "" : `, ${tokens} tokens`}):`,
  hint: "solución:",
  ended: (status, reason) => `✗ La sugerencia terminó ${status}${reason ? ` (${reason})` : ""}.`,
  sources: "Fuentes (la base de conocimiento del equipo, que el agente ve junto a la respuesta):",
  gap: (w) =>
    `Ningún artículo responde esta pregunta: ahora es un hueco de conocimiento (\`npm run kb:gaps -- --workspace ${w}\` lo lista).`,
  knowledge: (status) => `Conocimiento: ${status}.`,
};

const catalog: Catalog<DemoMessages> = { en, es };

export const demoMessages = (language: Language): DemoMessages => messagesFor(catalog, language);

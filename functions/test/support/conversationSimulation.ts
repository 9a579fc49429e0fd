import type { PromptTrace } from "../../src/contract/documents";
import { carriedNoteIds, stepWindow, windowReadSize } from "../../src/conversation/historyWindow";
import type { ConversationMessage } from "../../src/conversation/message";
import type { ChatMessage } from "../../src/core/vocabulary";
import type { NearChunk } from "../../src/retrieval/selectReferences";
import { buildSuggestionPrompt } from "../../src/tasks/replySuggestion/buildSuggestionPrompt";
import { promptTrace } from "../../src/tasks/replySuggestion/promptTrace";

/*
 * A long WhatsApp conversation replayed through the prompt's pure steps, as the trigger takes
 * them (read the newest 2 × CONTEXT_MESSAGES, keep the previous prompt's window start and its
 * reference notes, build, trace): what the tests pin about the layout and what `npm run bench`
 * measures.
 */

const CUSTOMER = [
  "Hola, ¿cómo están? Quería consultar por mi pedido 4512, lo compré el lunes pasado.",
  "¿Me podrían decir si ya salió del depósito? Necesito tenerlo antes del viernes.",
  "Perfecto. ¿Y el envío a Córdoba capital cuánto tarda normalmente?",
  "Otra cosa: si no me queda bien el talle, ¿puedo cambiarlo sin costo?",
  "Genial, gracias. ¿Aceptan pago en cuotas con tarjeta de crédito?",
];
const AGENT = [
  "¡Hola Lucía! Ya reviso el estado de tu pedido 4512 y te cuento.",
  "Tu pedido salió ayer del depósito; llega entre el miércoles y el jueves.",
  "A Córdoba capital los envíos tardan de 2 a 3 días hábiles.",
  "Sí, el primer cambio de talle es sin costo dentro de los 30 días.",
  "Sí, hasta 6 cuotas sin interés con las tarjetas bancarias.",
];

/**
 * The references retrieved for a customer message: `count` chunks of `chars` characters from a
 * help center of 7 articles, the topic moving on by one article each message.
 */
function referencesFor(turn: number, count: number, chars: number): NearChunk[] {
  return Array.from({ length: count }, (_, k) => {
    const article = (turn + k) % 7;
    return {
      articleId: `faq-${article}`,
      title: `Preguntas frecuentes ${article}`,
      text: `Artículo ${article}: ${"Los envíos y cambios se rigen por la política vigente. ".repeat(Math.ceil(chars / 55))}`.slice(
        0,
        chars,
      ),
      position: 0,
      distance: 0.2,
    };
  });
}

export interface SimulatedRequest {
  turn: number;
  messages: ChatMessage[];
  trace: PromptTrace;
}

/**
 * One conversation of `turns` customer messages, each answered by the agent, and the prompt of
 * each customer message's suggestion, in order.
 */
export function simulateConversation(options: {
  turns: number;
  limit: number;
  charBudget: number;
  knowledge: boolean;
  /** References per customer message and their size: one of 600 characters unless said. */
  references?: { count: number; chars: number };
  /**
   * The old layout: the window slides by one message (the newest `limit`), and only the newest
   * message has references.
   */
  sliding?: boolean;
}): SimulatedRequest[] {
  const all: ConversationMessage[] = [];
  const requests: SimulatedRequest[] = [];
  const suggestions = new Map<string, PromptTrace>();
  let previous: PromptTrace | undefined;
  for (let turn = 0; turn < options.turns; turn++) {
    const trigger: ConversationMessage = {
      id: `in-${turn}`,
      direction: "inbound",
      type: "text",
      text: CUSTOMER[turn % CUSTOMER.length],
      createdAtMs: all.length + 1,
    };
    all.push(trigger);
    const read = all.slice(-windowReadSize(options.limit));
    const history = options.sliding
      ? all.slice(-options.limit)
      : stepWindow(read, previous?.fromMessageId, options.limit);
    const carried = options.sliding
      ? []
      : carriedNoteIds(previous, history[0]?.id, trigger.id).map((id) => {
          const note = suggestions.get(id)?.note;
          if (!note) throw new Error(`no note for ${id}`);
          return [id, note] as const;
        });
    const { count, chars } = options.references ?? { count: 1, chars: 600 };
    const built = buildSuggestionPrompt(
      { facts: { channel: "whatsapp", customerName: "Lucía", locale: "es-AR" }, history, trigger },
      {
        charBudget: options.charBudget,
        references: options.knowledge ? referencesFor(turn, count, chars) : [],
        knowledge: options.knowledge,
        carriedNotes: new Map(carried),
        windowMessages: options.limit,
      },
    );
    const trace = promptTrace(built.messages, built, previous);
    requests.push({ turn, messages: built.messages, trace });
    suggestions.set(trigger.id, trace);
    previous = trace;
    all.push({
      id: `out-${turn}`,
      direction: "outbound",
      type: "text",
      text: AGENT[turn % AGENT.length],
      createdAtMs: all.length + 1,
    });
  }
  return requests;
}

/** The share of each prompt that repeats the previous one's start, from the second on. */
export const reuseShares = (requests: SimulatedRequest[]) =>
  requests.slice(1).map((r) => r.trace.reusedChars / r.trace.chars);

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

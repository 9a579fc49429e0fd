import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * What `npm run quality` says, in English and in Spanish (commandLanguage.ts decides). The rows'
 * names (providers, models, knowledge statuses) are the stored ones, the same in both.
 */
export interface QualityMessages {
  /** `firestore` and `lang` are the shared paragraphs on Firestore and --lang. */
  usage(firestore: string, lang: string): string;
  arguments: string;
  heading(workspace: string, span: string, days: number): string;
  span(from: string, to: string): string;
  noData: string;
  explanation: string;
  /** The six figures' column headings, after the row name's. */
  columns: [string, string, string, string, string, string];
  tables: { provider: string; model: string; knowledge: string };
}

const en: QualityMessages = {
  usage: (
    firestore,
    lang,
  ) => `Usage: npm run quality -- --workspace W [--days 7] [--project P] [--json] [--lang es|en]

Per provider and per model, over the last days: suggestions, how many agents sent as is, edited
or did not use, median latency and the cloud cost avoided. ${firestore}
--json prints JSON only (run it as \`npm run -s\`).
${lang}`,
  arguments: "--workspace is required; --days must be a whole number from 1 to 366.",
  heading: (w, span, days) => `Workspace ${w}, ${span} (${days} day(s) with metrics)`,
  span: (from, to) => `${from} to ${to}`,
  noData: "no data",
  explanation: "Percentages are of ready suggestions an agent's sent message was compared with.",
  columns: ["suggestions", "sent as is", "edited", "not used", "median latency", "cost avoided"],
  tables: { provider: "provider", model: "model", knowledge: "knowledge" },
};

const es: QualityMessages = {
  usage: (
    firestore,
    lang,
  ) => `Uso: npm run quality -- --workspace W [--days 7] [--project P] [--json] [--lang es|en]

Por proveedor y por modelo, en los últimos días: sugerencias, cuántas enviaron los agentes tal
cual, editadas o sin usar, la latencia mediana y el costo de nube evitado. ${firestore}
--json imprime solo JSON (ejecútelo como \`npm run -s\`).
${lang}`,
  arguments: "--workspace es obligatorio; --days debe ser un número entero entre 1 y 366.",
  heading: (w, span, days) => `Workspace ${w}, ${span} (${days} día(s) con métricas)`,
  span: (from, to) => `del ${from} al ${to}`,
  noData: "sin datos",
  explanation:
    "Los porcentajes son sobre las sugerencias listas que se compararon con el mensaje que envió un agente.",
  columns: ["sugerencias", "tal cual", "editadas", "sin usar", "latencia mediana", "costo evitado"],
  tables: { provider: "proveedor", model: "modelo", knowledge: "conocimiento" },
};

const catalog: Catalog<QualityMessages> = { en, es };

export const qualityMessages = (language: Language): QualityMessages =>
  messagesFor(catalog, language);

import type { ImportSkipReason } from "../knowledgeImport/importFiles";
import type { IndexResult } from "../knowledge/indexResult";
import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * What `npm run kb:import`, `kb:gaps` and `kb:reindex` say, in English and in Spanish (the
 * command-line tools' one rule decides: --lang, the environment, the workspace's
 * `settings/ai.locale`, English; see cli/commandLanguage.ts).
 */
export interface KbMessages {
  importing(workspace: string, files: number, dir: string, ignored: number): string;
  writing(done: number, total: number): string;
  summary(c: {
    created: number;
    changed: number;
    unchanged: number;
    removed: number;
    skipped: number;
  }): string;
  skipped(where: string, why: string): string;
  where(source: string, row: number | undefined): string;
  reason(reason: ImportSkipReason, detail: string | undefined): string;
  stale(count: number, dir: string, ids: string): string;
  pruneRefused(dir: string): string;
  upToDate: string;
  waiting(count: number, seconds: number): string;
  indexState(c: { ready: number; failed: number; indexing: number; waiting: number }): string;
  indexed(ready: number, failed: number): string;
  gaveUp(seconds: number, count: number, ids: string): string;
  nothingToIndex: string;
  fix: string;
  gapsHeading(workspace: string, from: string, to: string): string;
  gapsColumns: [string, string, string];
  gapsFooter(shown: number, total: number): string;
  noGaps(days: number): string;
  reindexing(model: string, count: number): string;
  reindexed(result: IndexResult): string;
  reindexSummary(c: { total: number; indexed: number; unchanged: number; failed: number }): string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const REASONS_EN: Record<ImportSkipReason, (d?: string) => string> = {
  empty_body: () => "empty: no text after the title",
  title_too_long: (d) => `title of ${d} characters, more than 300`,
  body_too_long: (d) => `text of ${d} characters, more than 100,000: split it into several files`,
  too_many_tags: (d) => `${d} tags, more than 20`,
  tag_too_long: (d) => `tag "${d}" longer than 50 characters`,
  invalid_url: (d) => `url "${d}" is not an http(s) address`,
  invalid_locale: (d) => `locale "${d}" is not a language tag such as es-AR`,
  missing_question: () => "no question",
  missing_columns: (d) =>
    `no question/answer columns (header: ${d || "none"}); name them question,answer or pregunta,respuesta`,
  invalid_csv: (d) => `not readable as CSV: ${d}`,
  invalid_json: (d) => `not a JSON array of {question, answer}: ${d}`,
  duplicate_id: (d) => `same article id as ${d}: rename one of them`,
  unreadable: (d) => `could not be read: ${d}`,
};

const REASONS_ES: Record<ImportSkipReason, (d?: string) => string> = {
  empty_body: () => "vacío: no hay texto después del título",
  title_too_long: (d) => `título de ${d} caracteres, más de 300`,
  body_too_long: (d) => `texto de ${d} caracteres, más de 100.000: divídalo en varios archivos`,
  too_many_tags: (d) => `${d} etiquetas, más de 20`,
  tag_too_long: (d) => `la etiqueta "${d}" tiene más de 50 caracteres`,
  invalid_url: (d) => `la url "${d}" no es una dirección http(s)`,
  invalid_locale: (d) => `el locale "${d}" no es una etiqueta de idioma como es-AR`,
  missing_question: () => "sin pregunta",
  missing_columns: (d) =>
    `no tiene columnas de pregunta/respuesta (encabezado: ${d || "ninguno"}); llámelas pregunta,respuesta o question,answer`,
  invalid_csv: (d) => `no se puede leer como CSV: ${d}`,
  invalid_json: (d) => `no es un arreglo JSON de {question, answer}: ${d}`,
  duplicate_id: (d) => `mismo id de artículo que ${d}: cambie el nombre de uno de los dos`,
  unreadable: (d) => `no se pudo leer: ${d}`,
};

const en: KbMessages = {
  importing: (w, files, dir, ignored) =>
    `Workspace ${w}: importing ${plural(files, "file", "files")} from ${dir}${ignored ? ` (${plural(ignored, "other file", "other files")} ignored)` : ""}.`,
  writing: (done, total) => `Writing ${done}/${total}…`,
  summary: (c) =>
    `new ${c.created}, changed ${c.changed}, unchanged ${c.unchanged}, removed ${c.removed}, skipped ${c.skipped}`,
  skipped: (where, why) => `  skipped ${where}: ${why}`,
  where: (source, row) =>
    row === undefined ? source : `${source}, ${source.endsWith(".json") ? "item" : "line"} ${row}`,
  reason: (r, d) => REASONS_EN[r](d),
  stale: (n, dir, ids) =>
    `${plural(n, "imported article is", "imported articles are")} no longer in ${dir} (${ids}): --prune removes them.`,
  pruneRefused: (dir) =>
    `--prune ignored: ${dir} holds no file to import, so it would remove every imported article. Check --dir.`,
  upToDate: "Nothing to write: every article is up to date.",
  waiting: (n, s) => `Waiting for the index of ${plural(n, "article", "articles")} (up to ${s} s)…`,
  indexState: (c) =>
    `  ready ${c.ready}, failed ${c.failed}, indexing ${c.indexing}, waiting ${c.waiting}`,
  indexed: (ready, failed) => `Indexed: ready ${ready}, failed ${failed}.`,
  gaveUp: (s, n, ids) =>
    `Gave up after ${s} s: ${plural(n, "article is", "articles are")} not indexed yet (${ids}). The backend indexes every article written: check that its functions run (deployed, or npm run dev) and that LM Studio serves the embedding model (npm run llm:check); --timeout waits longer.`,
  nothingToIndex: "Nothing to index: no article's title or text changed.",
  fix: "fix:",
  gapsHeading: (w, from, to) => `Workspace ${w}: unanswered customer questions, ${from} to ${to}`,
  gapsColumns: ["times", "last asked", "question"],
  gapsFooter: (shown, total) =>
    `${shown} of ${plural(total, "question", "questions")}. Write an article for each (npm run kb:import) so that suggestions can use it.`,
  noGaps: (days) =>
    `No unanswered questions in the last ${days === 1 ? "day" : `${days} days`}. They are recorded when settings/ai.flags.rag is on and a suggestion finds no matching article; look further back with --days 30.`,
  reindexing: (model, n) => `Re-indexing ${n} article(s) with ${model} …`,
  reindexed: (r) =>
    r.kind === "indexed"
      ? `ready (${r.chunks} chunks, ${r.embedded} embedded)`
      : r.kind === "failed"
        ? `error ${r.error.code}: ${r.error.message}`
        : r.kind === "unchanged"
          ? "unchanged"
          : r.kind === "removed"
            ? "gone"
            : "changed meanwhile: its own event indexes it",
  reindexSummary: (c) =>
    `${c.total} article(s): ${c.indexed} indexed, ${c.unchanged} unchanged, ${c.failed} failed.`,
};

const es: KbMessages = {
  importing: (w, files, dir, ignored) =>
    `Workspace ${w}: importando ${plural(files, "archivo", "archivos")} de ${dir}${ignored ? ` (${plural(ignored, "archivo de otro tipo ignorado", "archivos de otro tipo ignorados")})` : ""}.`,
  writing: (done, total) => `Escribiendo ${done}/${total}…`,
  summary: (c) =>
    `nuevos ${c.created}, modificados ${c.changed}, sin cambios ${c.unchanged}, eliminados ${c.removed}, omitidos ${c.skipped}`,
  skipped: (where, why) => `  omitido ${where}: ${why}`,
  where: (source, row) =>
    row === undefined
      ? source
      : `${source}, ${source.endsWith(".json") ? "elemento" : "línea"} ${row}`,
  reason: (r, d) => REASONS_ES[r](d),
  stale: (n, dir, ids) =>
    `${plural(n, "artículo importado ya no está", "artículos importados ya no están")} en ${dir} (${ids}): --prune los elimina.`,
  pruneRefused: (dir) =>
    `--prune ignorado: ${dir} no tiene ningún archivo para importar, así que eliminaría todos los artículos importados. Revise --dir.`,
  upToDate: "Nada que escribir: todos los artículos están al día.",
  waiting: (n, s) => `Esperando el índice de ${plural(n, "artículo", "artículos")} (hasta ${s} s)…`,
  indexState: (c) =>
    `  listos ${c.ready}, con error ${c.failed}, indexando ${c.indexing}, en espera ${c.waiting}`,
  indexed: (ready, failed) => `Índice: listos ${ready}, con error ${failed}.`,
  gaveUp: (s, n, ids) =>
    `Se dejó de esperar a los ${s} s: ${plural(n, "artículo todavía no está indexado", "artículos todavía no están indexados")} (${ids}). El backend indexa cada artículo que se escribe: revise que sus funciones estén corriendo (desplegadas, o npm run dev) y que LM Studio sirva el modelo de embeddings (npm run llm:check); --timeout espera más.`,
  nothingToIndex: "Nada que indexar: no cambió el título ni el texto de ningún artículo.",
  fix: "solución:",
  gapsHeading: (w, from, to) =>
    `Workspace ${w}: preguntas de clientes sin respuesta, del ${from} al ${to}`,
  gapsColumns: ["veces", "última vez", "pregunta"],
  gapsFooter: (shown, total) =>
    `${shown} de ${plural(total, "pregunta", "preguntas")}. Escriba un artículo para cada una (npm run kb:import) para que las sugerencias puedan usarlo.`,
  noGaps: (days) =>
    `Sin preguntas sin respuesta en ${days === 1 ? "el último día" : `los últimos ${days} días`}. Se registran cuando settings/ai.flags.rag está activo y una sugerencia no encuentra ningún artículo; mire más atrás con --days 30.`,
  reindexing: (model, n) => `Reindexando ${n} artículo(s) con ${model} …`,
  reindexed: (r) =>
    r.kind === "indexed"
      ? `listo (${r.chunks} fragmentos, ${r.embedded} con embedding nuevo)`
      : r.kind === "failed"
        ? `error ${r.error.code}: ${r.error.message}`
        : r.kind === "unchanged"
          ? "sin cambios"
          : r.kind === "removed"
            ? "ya no existe"
            : "cambió mientras tanto: lo indexa su propio evento",
  reindexSummary: (c) =>
    `${c.total} artículo(s): ${c.indexed} indexados, ${c.unchanged} sin cambios, ${c.failed} con error.`,
};

const catalog: Catalog<KbMessages> = { en, es };

export const kbMessages = (language: Language): KbMessages => messagesFor(catalog, language);

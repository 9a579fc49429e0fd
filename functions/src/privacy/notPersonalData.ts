import { type Candidate, CHECKED } from "./candidate";

/*
 * What looks like personal data but is not. The team's own patterns (tracking codes, say) are
 * never masked. A number with no check digit is taken as what the text around it says it is: a
 * price (`$ 45123456`, `45123456 pesos`) or an order, invoice or product number
 * (`pedido 45123456`, `factura nº 22334455`), a date, or part of a longer code (`OC-2025-0789`).
 * A check digit outweighs the context (`factura a CUIT 20-12345678-6` is still a CUIT).
 */

const CURRENCY_BEFORE =
  /(?:[$€£]|\b(?:R\$|U\$S|US\$|USD|ARS|CLP|MXN|EUR|BRL|UYU|pesos?|reales|euros?|d[oó]lares))\s*$/iu;

const AMOUNT_AFTER =
  /^\s*(?:[$€%]|(?:pesos?|reales|euros?|d[oó]lares|USD|ARS|CLP|MXN|EUR|BRL|UYU|unidades|u\.|kg|km|gr?)(?!\p{L}))/iu;

const REFERENCE_LABELS = [
  "pedido",
  "orden",
  "order",
  "compra",
  "factura",
  "boleta",
  "ticket",
  "reclamo",
  "caso",
  "incidencia",
  "env[ií]o",
  "seguimiento",
  "tracking",
  "gu[ií]a",
  "c[oó]digo",
  "sku",
  "ref(?:erencia)?",
  "art[ií]culo",
  "modelo",
  "lote",
  "remito",
  "comprobante",
  "operaci[oó]n",
  "transacci[oó]n",
  "presupuesto",
  "cotizaci[oó]n",
  "nota de cr[eé]dito",
  "serie",
  "encomenda",
  "rastreio",
  "protocolo",
  "nota fiscal",
  "nf",
].join("|");

/** `nro.`, `nº`, `#`, `:`, `es el`, `de la`… between a label and its number. */
const REFERENCE_FILLER = String.raw`\s*(?:n(?:ro|[°º]|úmero|umero)\.?|#|:|es|el|la|do|da|de|del)(?!\p{L})`;
/** A carrier or brand between them: `guía de Estafeta es`, `seguimiento Andreani`. */
const BRAND = String.raw`\s+\p{Lu}[\p{L}]+`;

const REFERENCE_BEFORE = new RegExp(
  String.raw`(?:(?<!\p{L})(?:${REFERENCE_LABELS})(?!\p{L})(?:${REFERENCE_FILLER}|${BRAND})*|#)\s*$`,
  "iu",
);

/** Dates (`2025-03-12`, `28/02`, `12/03/2025`), which phone parsers may read as numbers. */
const DATE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?)$/;

/** Part of a longer code: `OC-2025-0789`, `4010355-AZ`. */
const CODE_BEFORE = /[\p{L}\p{N}][-/]$|[\p{L}_]$/u;
const CODE_AFTER = /^(?:[-/][\p{L}\p{N}]|[\p{L}_])/u;

/** Whether the text around a number says it is not personal data. */
export function saysNotPersonal(text: string, candidate: Candidate): boolean {
  // Names are masked because the conversation gave them, wherever they appear.
  if (candidate.certainty >= CHECKED || candidate.kind === "name") return false;
  const before = text.slice(Math.max(0, candidate.start - 40), candidate.start);
  const after = text.slice(candidate.end, candidate.end + 12);
  return (
    CURRENCY_BEFORE.test(before) ||
    AMOUNT_AFTER.test(after) ||
    REFERENCE_BEFORE.test(before) ||
    DATE.test(candidate.value) ||
    CODE_BEFORE.test(before) ||
    CODE_AFTER.test(after)
  );
}

/** Where the team's `keep` patterns match in a text: nothing there is masked. */
export function keptRangesFinder(keep: readonly RegExp[]): (text: string) => [number, number][] {
  const patterns = keep.map(
    (pattern) =>
      new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`),
  );
  return (text) =>
    patterns.flatMap((pattern) =>
      [...text.matchAll(pattern)].map((match): [number, number] => [
        match.index,
        match.index + match[0].length,
      ]),
    );
}

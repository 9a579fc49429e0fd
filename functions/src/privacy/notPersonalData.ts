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
  "boleto",
  "linha digit[aá]vel",
  "c[oó]digo de barras",
  // Postal codes locate a street, not a person.
  "cep",
  "cp",
  "c[oó]digo postal",
].join("|");

/** `nro.`, `nº`, `#`, `:`, `es el`, `de la`… between a label and its number. */
const REFERENCE_FILLER = String.raw`\s*(?:[Nn](?:ro|[°º]|úmero|umero)\.?|#|:|[Ee]s|[Ee]l|[Ll]a|[Dd][oae]|[Dd]el)(?!\p{L})`;
/**
 * A carrier or brand between them (`guía de Estafeta es`, `seguimiento Andreani`), or an
 * invoice's type letter (`factura B 0004-00018233`): capitalised, which is why what follows a
 * label is matched apart, case-sensitive.
 */
const BRAND = String.raw`\s+\p{Lu}\p{L}*`;
/** The groups before it of a number written in several (`boleto: 23793.38128 60000.000003`). */
const EARLIER_GROUPS = String.raw`(?:\s+[\d.\-]+)*`;

const REFERENCE_LABEL = new RegExp(String.raw`(?<!\p{L})(?:${REFERENCE_LABELS})(?!\p{L})`, "giu");
/** One word in any case may stand there too: customers write a carrier lowercase (`chilexpress`). */
const AFTER_LABEL = new RegExp(
  String.raw`^(?:${REFERENCE_FILLER}|${BRAND})*(?:\s+\p{L}+)?(?:${REFERENCE_FILLER})*${EARLIER_GROUPS}\s*$`,
  "u",
);

/** Whether `before` ends with a reference's label (`pedido nº `, `#`) right before the number. */
function referenceBefore(before: string): boolean {
  if (/#\s*$/.test(before)) return true;
  for (const label of before.matchAll(REFERENCE_LABEL)) {
    if (AFTER_LABEL.test(before.slice(label.index + label[0].length))) return true;
  }
  return false;
}

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
    referenceBefore(before) ||
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

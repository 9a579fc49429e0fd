import { type Candidate, CHECKED } from "./candidate";

/*
 * What looks like personal data but is not. The team's own patterns (tracking codes, say) are
 * never masked. A number with no check digit is taken as what the text around it says it is: a
 * price (`$ 45123456`, `45123456 pesos`) or an order, invoice or product number
 * (`pedido 45123456`, `factura nº 22334455`). A check digit outweighs the context (`factura a
 * CUIT 20-12345678-6` is still a CUIT).
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

const REFERENCE_BEFORE = new RegExp(
  String.raw`(?:(?<!\p{L})(?:${REFERENCE_LABELS})(?!\p{L})(?:\s*(?:n(?:ro|[°º]|úmero|umero)\.?|#|:|es|el|do|da|de))*|#)\s*$`,
  "iu",
);

/** Whether the text around a candidate says it is not personal data. */
export function saysNotPersonal(text: string, candidate: Candidate): boolean {
  if (candidate.certainty >= CHECKED) return false;
  const before = text.slice(Math.max(0, candidate.start - 40), candidate.start);
  const after = text.slice(candidate.end, candidate.end + 12);
  return CURRENCY_BEFORE.test(before) || AMOUNT_AFTER.test(after) || REFERENCE_BEFORE.test(before);
}

/** Where the team's `keep` patterns match: nothing there is masked. */
export function keptRanges(text: string, keep: readonly RegExp[]): [number, number][] {
  return keep.flatMap((pattern) => {
    const flags = pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`;
    return [...text.matchAll(new RegExp(pattern.source, flags))].map((match): [number, number] => [
      match.index,
      match.index + match[0].length,
    ]);
  });
}

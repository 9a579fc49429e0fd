import { personalDataFinder } from "./findPersonalData";
import type { PersonalDataKind, PersonalDataOptions, PersonalDataSpan } from "./personalDataKinds";
import { placeholderFor, restorePlaceholders, withoutPlaceholders } from "./placeholders";
import { createRestoringStream, type RestoringStream } from "./streamRestorer";
import { withoutAccents } from "../core/textForms";

/*
 * Masks the personal data of one prompt before it leaves for a cloud model, and puts it back in
 * the answer. One masker covers every message of one prompt, so a value keeps its placeholder
 * across messages (the customer's phone in message 3 and message 9 is `[TELÉFONO_1]` in both), and
 * the model can refer to it consistently. The values never leave the instance.
 */

/** How two spellings of one value are told to be the same. */
function sameValueKey(kind: PersonalDataKind, value: string): string {
  if (kind === "email") return value.toLowerCase();
  if (kind === "name") {
    return withoutAccents(value).toLowerCase().replace(/\s+/g, " ");
  }
  // Numbers as their digits (phones, cards, CUIT…); IDs with letters keep them (NIE, CURP, IBAN).
  return value.replace(/[^\p{L}\p{N}]/gu, "").toUpperCase();
}

export class PromptMasker {
  private readonly keys = new Map<PersonalDataKind, Map<string, number>>();
  private readonly values = new Map<PersonalDataKind, string[]>();

  private readonly find: (text: string) => PersonalDataSpan[];

  constructor(options: PersonalDataOptions) {
    this.find = personalDataFinder(options);
  }

  /**
   * The text with each piece of personal data replaced by its placeholder, and any placeholder
   * it already held defused: only the masker's own come back as values.
   */
  mask(written: string): string {
    const text = withoutPlaceholders(written);
    let masked = "";
    let copiedUpTo = 0;
    for (const span of this.find(text)) {
      masked += text.slice(copiedUpTo, span.start) + this.placeholderOf(span.kind, span.value);
      copiedUpTo = span.end;
    }
    return masked + text.slice(copiedUpTo);
  }

  /** How many distinct values of each kind were masked: what may be logged, never the values. */
  counts(): Partial<Record<PersonalDataKind, number>> {
    return Object.fromEntries([...this.values].map(([kind, values]) => [kind, values.length]));
  }

  /** The model's answer with the values back, and how many placeholders stood for nothing. */
  restore(text: string): { text: string; unresolved: number } {
    return restorePlaceholders(text, this.valueOf);
  }

  /** The same, for an answer that arrives in chunks. */
  restoringStream(): RestoringStream {
    return createRestoringStream((text, context) =>
      restorePlaceholders(text, this.valueOf, context),
    );
  }

  private placeholderOf(kind: PersonalDataKind, value: string): string {
    const keys = this.keys.get(kind) ?? new Map<string, number>();
    const values = this.values.get(kind) ?? [];
    this.keys.set(kind, keys);
    this.values.set(kind, values);
    const key = sameValueKey(kind, value);
    let number = keys.get(key);
    if (number === undefined) {
      values.push(value);
      number = values.length;
      keys.set(key, number);
    }
    return placeholderFor(kind, number);
  }

  private readonly valueOf = (kind: PersonalDataKind, number: number): string | undefined =>
    this.values.get(kind)?.[number - 1];
}

import { expect } from "chai";
import { LONGEST_PLACEHOLDER } from "../../src/privacy/placeholders";
import { PromptMasker } from "../../src/privacy/promptMasker";
import type { PersonalDataOptions } from "../../src/privacy/personalDataKinds";

/*
 * Personal data leaves for the cloud model as placeholders and comes back in the answer: the same
 * value always has the same placeholder, what the model mangles is still read, what it invents is
 * never shown raw, and a streamed answer reads the same as the whole.
 */

const OPTIONS: PersonalDataOptions = {
  kinds: ["phone", "email", "card", "dni", "cuit", "name"],
  countries: ["AR"],
  names: ["Ana Pérez"],
};

const CUSTOMER_MESSAGES = [
  "Hola, soy Ana Pérez, mi cel es +54 9 11 5555-1234 y mi mail ana.perez@gmail.com",
  "Les repito: el cel es 11 5555-1234? no, es +54 9 11 5555 1234. DNI 30.123.456",
  "Facturen a CUIT 20-12345678-6, pagué con 4509 9535 6623 3704. Mail: Ana.Perez@gmail.com",
];

function maskedConversation(): { masker: PromptMasker; masked: string[] } {
  const masker = new PromptMasker(OPTIONS);
  return { masker, masked: CUSTOMER_MESSAGES.map((message) => masker.mask(message)) };
}

describe("masking a prompt's personal data", () => {
  it("replaces each value by a typed placeholder the model can read", () => {
    const { masked } = maskedConversation();
    expect(masked[0]).to.equal("Hola, soy [NOMBRE_1], mi cel es [TELÉFONO_1] y mi mail [EMAIL_1]");
    expect(masked[2]).to.equal("Facturen a CUIT [CUIT_1], pagué con [TARJETA_1]. Mail: [EMAIL_1]");
  });

  it("gives the same value the same placeholder in every message of the prompt", () => {
    const { masked } = maskedConversation();
    // The same phone in another spacing, the same e-mail in another case.
    expect(masked[1]).to.include("es [TELÉFONO_1]. DNI [DNI_1]");
    expect(masked[2]).to.include("Mail: [EMAIL_1]");
  });

  it("gives different values different numbers", () => {
    const { masked } = maskedConversation();
    expect(masked[1]).to.include("el cel es [TELÉFONO_2]?");
  });

  it("leaves none of the values in the masked text", () => {
    const { masked } = maskedConversation();
    const all = masked.join("\n");
    for (const value of [
      "Ana",
      "Pérez",
      "5555",
      "ana.perez",
      "30.123.456",
      "12345678",
      "4509",
      "3704",
    ]) {
      expect(all).not.to.include(value);
    }
  });

  it("counts the distinct values masked per kind, and nothing else", () => {
    const { masker } = maskedConversation();
    expect(masker.counts()).to.deep.equal({
      name: 1,
      phone: 2,
      email: 1,
      dni: 1,
      cuit: 1,
      card: 1,
    });
  });

  it("masks nothing in a message without personal data", () => {
    const masker = new PromptMasker(OPTIONS);
    const message = "El pedido 4512 de $ 12.500 llega el 12/03/2025 a las 14:30 (3 unidades).";
    expect(masker.mask(message)).to.equal(message);
    expect(masker.counts()).to.deep.equal({});
  });
});

describe("restoring the model's answer", () => {
  it("puts the values back", () => {
    const { masker } = maskedConversation();
    expect(masker.restore("Gracias [NOMBRE_1], te llamamos al [TELÉFONO_1].")).to.deep.equal({
      text: "Gracias Ana Pérez, te llamamos al +54 9 11 5555-1234.",
      unresolved: 0,
    });
  });

  it("reads placeholders the model mangled", () => {
    const { masker } = maskedConversation();
    const answer =
      "[TELEFONO_1] · [teléfono_1] · [Telefono-1] · [TELÉFONO 1] · TELÉFONO_1, · (EMAIL_1) · [ DNI_1 ]";
    expect(masker.restore(answer)).to.deep.equal({
      text: [
        "+54 9 11 5555-1234",
        "+54 9 11 5555-1234",
        "+54 9 11 5555-1234",
        "+54 9 11 5555-1234",
        "+54 9 11 5555-1234,",
        "(ana.perez@gmail.com)",
        "30.123.456",
      ].join(" · "),
      unresolved: 0,
    });
  });

  it("shows a blank, never the placeholder, for one that stands for nothing", () => {
    const { masker } = maskedConversation();
    expect(masker.restore("Llamá al [TELÉFONO_7] o transferí al [CBU_1].")).to.deep.equal({
      text: "Llamá al ___ o transferí al ___.",
      unresolved: 2,
    });
  });

  it("leaves brackets and words that are not placeholders alone", () => {
    const { masker } = maskedConversation();
    const answer =
      "Ver [nota] y [1]. Pagás con tarjeta 1 o 2; tu DNI 1 vez; NOMBRE_1x; TELÉFONO_12345.";
    expect(masker.restore(answer)).to.deep.equal({ text: answer, unresolved: 0 });
  });
});

describe("restoring an answer while it streams", () => {
  const ANSWER =
    "Hola [NOMBRE_1]! Registramos [TELÉFONO_1] (y TELEFONO_1, [telefono-1]). Tu DNI [DNI 1] " +
    "quedó asociado; el [TELÉFONO_7] no figura. Ver [nota] y [1], DNI 1 vez. Escribinos a " +
    "[EMAIL_1] o a EMAIL_1. [CBU_1] [TARJETA_1] NOMBRE_1x TELÉFONO_12345 código9DNI_1 [ DNI_1 ] [TELE\u0301FONO_1]";

  function streamed(masker: PromptMasker, chunks: string[]): string {
    const stream = masker.restoringStream();
    return chunks.map((chunk) => stream.push(chunk)).join("") + stream.end();
  }

  it("reads the same as the whole answer, wherever one split falls", () => {
    const { masker } = maskedConversation();
    const whole = masker.restore(ANSWER).text;
    expect(whole)
      .to.include("Hola Ana Pérez!")
      .and.include("el ___ no figura")
      .and.include("NOMBRE_1x TELÉFONO_12345 código9DNI_1 30.123.456 +54 9 11 5555-1234");
    for (let i = 0; i <= ANSWER.length; i++) {
      expect(streamed(masker, [ANSWER.slice(0, i), ANSWER.slice(i)]), `split at ${i}`).to.equal(
        whole,
      );
    }
  });

  it("reads the same as the whole answer, wherever two splits fall", () => {
    const { masker } = maskedConversation();
    const whole = masker.restore(ANSWER).text;
    for (let i = 0; i <= ANSWER.length; i++) {
      for (let j = i; j <= ANSWER.length; j++) {
        const chunks = [ANSWER.slice(0, i), ANSWER.slice(i, j), ANSWER.slice(j)];
        const result = streamed(masker, chunks);
        if (result !== whole) expect(result, `splits at ${i} and ${j}`).to.equal(whole);
      }
    }
  });

  it("reads the same one character at a time, and counts the blanks", () => {
    const { masker } = maskedConversation();
    const stream = masker.restoringStream();
    const shown = [...ANSWER].map((char) => stream.push(char)).join("") + stream.end();
    expect(shown).to.equal(masker.restore(ANSWER).text);
    expect(stream.unresolved).to.equal(masker.restore(ANSWER).unresolved);
  });

  it("holds back only what could still become a placeholder", () => {
    const { masker } = maskedConversation();
    const stream = masker.restoringStream();
    expect(stream.push("Te escribimos mañana por la tarde")).to.equal(
      "Te escribimos mañana por la tarde",
    );
    expect(stream.push(", al [TELÉ")).to.equal(", al ");
    expect(stream.push("FONO_1] gracias")).to.equal("+54 9 11 5555-1234 gracias");
    const long = "x".repeat(500) + " [";
    expect(stream.push(long).length).to.be.at.least(long.length - LONGEST_PLACEHOLDER);
    expect(stream.end()).to.equal("[");
  });
});

import { expect } from "chai";
import { formatGapReport, groupGaps, questionKey } from "../../../src/cli/gapReport";
import { kbMessages } from "../../../src/cli/kbMessages";

const on = (day: string, hour = 12) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);

describe("kb:gaps: unanswered questions, grouped", () => {
  it("groups a question however it is spaced, capitalised, accented or punctuated", () => {
    expect(questionKey("  ¿Hacen   ENVÍOS a\tCórdoba? ")).to.equal("hacen envios a cordoba");
    expect(questionKey("hacen envios a cordoba")).to.equal("hacen envios a cordoba");
    expect(questionKey("¿Envían a San Martín (Mendoza)?")).to.equal("envian a san martin mendoza");
  });

  it("adds up counts over days, keeps the last day, and shows the spelling used most, accents kept", () => {
    const entries = groupGaps([
      {
        day: "2026-11-28",
        question: "¿Hacen envíos a Córdoba?",
        count: 3,
        lastAt: on("2026-11-28"),
      },
      {
        day: "2026-11-30",
        question: "hacen envios a cordoba?",
        count: 1,
        lastAt: on("2026-11-30"),
      },
      {
        day: "2026-11-30",
        question: "¿Hacen  envíos a Córdoba?",
        count: 2,
        lastAt: on("2026-11-30"),
      },
      { day: "2026-11-29", question: "¿Puedo pagar con QR?", count: 7 },
      { day: "2026-11-29", question: "   ", count: 4 },
      { day: "2026-11-29", count: 4 },
      { day: "2026-11-29", question: "¿Factura A?", count: "x" },
    ]);
    expect(entries).to.deep.equal([
      { question: "¿Puedo pagar con QR?", count: 7, lastDay: "2026-11-29" },
      { question: "¿Hacen envíos a Córdoba?", count: 6, lastDay: "2026-11-30" },
      { question: "¿Factura A?", count: 1, lastDay: "2026-11-29" },
    ]);
  });

  it("orders equal counts by the most recent, then alphabetically", () => {
    const entries = groupGaps([
      { day: "2026-11-01", question: "b", count: 2 },
      { day: "2026-11-02", question: "c", count: 2 },
      { day: "2026-11-01", question: "a", count: 2 },
    ]);
    expect(entries.map((e) => e.question)).to.deep.equal(["c", "a", "b"]);
  });

  it("prints the top entries with their last date, in the workspace's language", () => {
    const entries = groupGaps([
      { day: "2026-11-30", question: "¿Hacen envíos a Córdoba?", count: 12 },
      { day: "2026-11-29", question: "¿Puedo pagar con QR?", count: 3 },
      { day: "2026-11-29", question: "¿Tienen local?", count: 1 },
    ]);
    const range = { workspace: "acme", from: "2026-11-24", to: "2026-11-30", days: 7, top: 2 };
    expect(formatGapReport(entries, range, kbMessages("en")).split("\n")).to.deep.equal([
      "Workspace acme: unanswered customer questions, 2026-11-24 to 2026-11-30",
      "",
      "times  last asked  question",
      "   12  2026-11-30  ¿Hacen envíos a Córdoba?",
      "    3  2026-11-29  ¿Puedo pagar con QR?",
      "",
      "2 of 3 questions. Write an article for each (npm run kb:import) so that suggestions can use it.",
    ]);
    const es = formatGapReport(entries, range, kbMessages("es"));
    expect(es).to.contain("preguntas de clientes sin respuesta, del 2026-11-24 al 2026-11-30");
    expect(es).to.contain("veces  última vez  pregunta");
    expect(es).to.contain("2 de 3 preguntas. Escriba un artículo");
  });

  it("says what to do when there is nothing to show", () => {
    const range = { workspace: "acme", from: "2026-11-24", to: "2026-11-30", days: 7, top: 20 };
    expect(formatGapReport([], range, kbMessages("en"))).to.match(
      /^No unanswered questions in the last 7 days\. .*settings\/ai\.flags\.rag.*--days 30\.$/,
    );
    expect(formatGapReport([], range, kbMessages("es"))).to.match(
      /^Sin preguntas sin respuesta en los últimos 7 días\. .*--days 30\.$/,
    );
  });
});

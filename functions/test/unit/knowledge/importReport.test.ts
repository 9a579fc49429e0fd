import { expect } from "chai";
import { importFiles } from "../../../src/knowledgeImport/importFiles";
import { planImport } from "../../../src/knowledgeImport/importPlan";
import { importSummaryLines, indexSummaryLines } from "../../../src/cli/importReport";

describe("kb:import: what it prints", () => {
  const result = importFiles([
    { source: "nuevo.md", text: "Texto" },
    { source: "vacio.md", text: "# Título" },
    { source: "lista.csv", text: "pregunta,respuesta\n,sin pregunta\n" },
    { source: "lista.json", text: '[{"question":"¿Q?","answer":""}]' },
  ]);
  const plan = planImport(result, [
    { id: "viejo", data: { title: "V", body: "V", source: "viejo.md" } },
  ]);

  it("sums up, lists every skipped file or row with the reason, and offers --prune", () => {
    expect(
      importSummaryLines(result, plan, { removed: 0, pruned: false, dir: "./faq" }, "en"),
    ).to.deep.equal([
      "new 1, changed 0, unchanged 0, removed 0, skipped 3",
      "  skipped lista.csv, line 2: no question",
      "  skipped lista.json, item 1: empty: no text after the title",
      "  skipped vacio.md: empty: no text after the title",
      "1 imported article is no longer in ./faq (viejo): --prune removes them.",
    ]);
    expect(
      importSummaryLines(result, plan, { removed: 1, pruned: true, dir: "./faq" }, "es"),
    ).to.deep.equal([
      "nuevos 1, modificados 0, sin cambios 0, eliminados 1, omitidos 3",
      "  omitido lista.csv, línea 2: sin pregunta",
      "  omitido lista.json, elemento 1: vacío: no hay texto después del título",
      "  omitido vacio.md: vacío: no hay texto después del título",
    ]);
  });

  it("ends the wait with the counts, each failure's code and fix, and what to check after a timeout", () => {
    const progress = {
      ready: ["a"],
      failed: [
        { id: "b", code: "provider_unreachable", message: "Could not connect", hint: "English" },
        { id: "c", code: "chunk_failed", message: "", hint: "Backend's own hint" },
      ],
      indexing: ["d"],
      waiting: ["e"],
    };
    const es = indexSummaryLines(progress, { timedOut: true, timeoutSeconds: 120 }, "es");
    expect(es[0]).to.equal("Índice: listos 1, con error 2.");
    expect(es[1]).to.equal("  ✗ b: Could not connect [provider_unreachable]");
    expect(es[2]).to.match(/^ {6}solución: Inicie el servidor de LM Studio/);
    expect(es.slice(3, 5)).to.deep.equal([
      "  ✗ c: chunk_failed [chunk_failed]",
      "      solución: Backend's own hint",
    ]);
    expect(es[5]).to.match(
      /^Se dejó de esperar a los 120 s: 2 artículos todavía no están indexados \(d, e\)\./,
    );
    expect(
      indexSummaryLines(progress, { timedOut: false, timeoutSeconds: 120 }, "en"),
    ).to.have.length(5);
  });
});

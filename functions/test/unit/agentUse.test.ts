import { expect } from "chai";
import {
  agentUseOutcome,
  compareWithSuggestion,
  similarity,
} from "../../src/tasks/replySuggestion/agentUse";

describe("agent use: how much of a suggestion the agent sent", () => {
  it("the same reply with other case, spacing and punctuation is sent as is", () => {
    const score = similarity(
      "¡Hola María! Sí, llega el viernes.",
      "hola maría  sí llega el viernes",
    );
    expect(score).to.equal(1);
    expect(agentUseOutcome(score)).to.equal("sent_as_is");
  });

  it("a reply with some words changed is edited; an unrelated one is not used", () => {
    const suggested = "Hola María, tu pedido 4512 llega el viernes por la mañana.";
    expect(
      compareWithSuggestion("Hola María, tu pedido 4512 llega el viernes a la tarde.", [suggested])
        .outcome,
    ).to.equal("edited");
    expect(
      compareWithSuggestion("Te paso con facturación, un momento.", [suggested]).outcome,
    ).to.equal("not_used");
  });

  it("counts the closest option", () => {
    const result = compareWithSuggestion("Sí, tenemos talle 42.", [
      "No tenemos stock.",
      "Sí, tenemos talle 42.",
    ]);
    expect(result).to.deep.equal({ outcome: "sent_as_is", similarity: 1 });
  });

  it("bounds the work for long texts: what lies past the bound is not compared", () => {
    // 160,000 characters each: only a bounded prefix is compared (npm run bench has its speed).
    const long = "palabra ".repeat(20_000);
    expect(similarity(long, `${long}extra`)).to.equal(1);
    expect(similarity(long, `otra cosa ${long}`)).to.be.below(1);
  });
});

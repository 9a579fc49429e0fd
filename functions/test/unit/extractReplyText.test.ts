import { expect } from "chai";
import { extractReplyText } from "../../src/providers/extractReplyText";

describe("reply text extraction", () => {
  it("keeps a plain answer, trimmed", () => {
    expect(extractReplyText("  Hola María, ya lo reviso.\n")).to.equal("Hola María, ya lo reviso.");
  });

  it("removes <think> blocks that DeepSeek-R1 and Qwen3 put before the answer", () => {
    expect(
      extractReplyText(
        "<think>The customer wants shipping info.\nBe brief.</think>\n\nSí, enviamos a todo el país.",
      ),
    ).to.equal("Sí, enviamos a todo el país.");
  });

  it("treats a thought cut off by max_tokens as no answer at all", () => {
    expect(extractReplyText("<think>Let me think about the refund policy and")).to.equal("");
  });

  it("drops thoughts when only the closing tag is present", () => {
    expect(extractReplyText("reasoning here</think>Claro, te ayudo.")).to.equal("Claro, te ayudo.");
  });

  it("unwraps a reply the model put in quotes", () => {
    expect(extractReplyText('"Claro, te ayudo con eso."')).to.equal("Claro, te ayudo con eso.");
    expect(extractReplyText('Dijo "hola" y se fue')).to.equal('Dijo "hola" y se fue');
  });

  it("gives an empty string for missing content", () => {
    expect(extractReplyText(null)).to.equal("");
    expect(extractReplyText(undefined)).to.equal("");
  });
});

import { expect } from "chai";
import { ERROR_CODES, hintFor } from "../../src/core/errorCodes";
import {
  acceptedLanguages,
  type Catalog,
  LANGUAGES,
  messagesFor,
  pickLanguage,
} from "../../src/core/language";

describe("the one language picker and the one catalog shape", () => {
  it("picks Spanish for a locale or tag that starts with es, English for any other", () => {
    expect(["es", "es-AR", "es_ES.UTF-8", " ES-mx "].map((tag) => pickLanguage(tag))).to.deep.equal(
      ["es", "es", "es", "es"],
    );
    expect(
      ["en-US", "pt-BR", "C.UTF-8", "", undefined].map((tag) => pickLanguage(tag)),
    ).to.deep.equal(["en", "en", "en", "en", "en"]);
    expect(pickLanguage()).to.equal("en");
  });

  it("reads a browser's preferences in order: the first Spanish or English one decides", () => {
    expect(pickLanguage("es-AR", "en")).to.equal("es");
    expect(pickLanguage("en-US", "es")).to.equal("en");
    expect(pickLanguage("pt-BR", "es-419", "en")).to.equal("es");
    expect(pickLanguage("de", "en-GB", "es")).to.equal("en");
    expect(pickLanguage("fr", "de")).to.equal("en");
  });

  it("reads an Accept-Language header's tags in the order the browser sent them", () => {
    expect(acceptedLanguages("es-AR,es;q=0.9,en;q=0.8")).to.deep.equal(["es-AR", "es", "en"]);
    expect(acceptedLanguages("*")).to.deep.equal([]);
    expect(acceptedLanguages(undefined)).to.deep.equal([]);
    expect(pickLanguage(...acceptedLanguages("pt-BR, es;q=0.5"))).to.equal("es");
  });

  it("gives each catalog's messages in the language asked for", () => {
    const catalog: Catalog<{ hello: string }> = { en: { hello: "Hello" }, es: { hello: "Hola" } };
    expect(LANGUAGES.map((language) => messagesFor(catalog, language).hello)).to.deep.equal([
      "Hola",
      "Hello",
    ]);
  });

  it("has every error code's hint in both languages, different in each", () => {
    for (const code of ERROR_CODES) {
      expect(hintFor(code, "en"), code).to.be.a("string").and.not.equal("");
      expect(hintFor(code, "es"), code).to.be.a("string").and.not.equal(hintFor(code, "en"));
    }
    expect(hintFor("provider_unreachable", "en")).to.match(/^Start the LM Studio server/);
    expect(hintFor("provider_unreachable", "es")).to.match(/^Inicie el servidor de LM Studio/);
  });
});

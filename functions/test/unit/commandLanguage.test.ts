import { expect } from "chai";
import {
  commandLanguage,
  environmentLanguage,
  parseLangFlag,
  workspaceDecides,
} from "../../src/cli/commandLanguage";

describe("the command-line tools' one language rule", () => {
  it("the --lang flag beats the environment, which beats the workspace, which beats English", () => {
    const spanishTerminal = { LANG: "es_ES.UTF-8" };
    expect(
      commandLanguage({ flag: "en", env: spanishTerminal, workspaceLocale: "es-AR" }),
    ).to.equal("en");
    expect(commandLanguage({ env: spanishTerminal, workspaceLocale: "en-US" })).to.equal("es");
    expect(commandLanguage({ env: { LANG: "en_US.UTF-8" }, workspaceLocale: "es-AR" })).to.equal(
      "en",
    );
    expect(commandLanguage({ env: {}, workspaceLocale: "es-AR" })).to.equal("es");
    expect(commandLanguage({ env: {} })).to.equal("en");
  });

  it("reads LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them", () => {
    const all = { LC_ALL: "en_GB.UTF-8", LC_MESSAGES: "es_ES.UTF-8", LANG: "es_AR.UTF-8" };
    expect(environmentLanguage(all)).to.equal("en");
    expect(environmentLanguage({ LC_MESSAGES: "es_ES.UTF-8", LANG: "en_US.UTF-8" })).to.equal("es");
    expect(environmentLanguage({ LANG: "es_MX" })).to.equal("es");
    // Any other language is set, and not Spanish: English.
    expect(environmentLanguage({ LANG: "pt_BR.UTF-8" })).to.equal("en");
  });

  it("takes C, POSIX and empty values as not set: the next variable, then the workspace, decide", () => {
    expect(environmentLanguage({ LC_ALL: "C", LANG: "es_ES.UTF-8" })).to.equal("es");
    expect(environmentLanguage({ LC_ALL: "", LC_MESSAGES: "POSIX", LANG: "es_AR" })).to.equal("es");
    expect(environmentLanguage({ LANG: "C.UTF-8" })).to.equal(undefined);
    expect(environmentLanguage({ LANG: "  " })).to.equal(undefined);
    expect(commandLanguage({ env: { LANG: "C.UTF-8" }, workspaceLocale: "es-AR" })).to.equal("es");
    expect(workspaceDecides({ env: { LC_ALL: "C", LANG: "POSIX" } })).to.equal(true);
    expect(workspaceDecides({ env: { LANG: "en_US.UTF-8" } })).to.equal(false);
    expect(workspaceDecides({ flag: "es", env: {} })).to.equal(false);
  });

  it("accepts --lang es or en, and knows the language before any workspace is read", () => {
    expect(parseLangFlag("es", {})).to.deep.equal({ flag: "es", language: "es" });
    expect(parseLangFlag("EN", { LANG: "es_ES.UTF-8" })).to.deep.equal({
      flag: "en",
      language: "en",
    });
    expect(parseLangFlag(undefined, { LANG: "es_ES.UTF-8" })).to.deep.equal({
      flag: undefined,
      language: "es",
    });
  });

  it("rejects any other --lang, naming the flag and the allowed values, in the terminal's language", () => {
    expect(parseLangFlag("fr", {})).to.deep.equal({
      error: '--lang must be one of es, en; got "fr".',
    });
    expect(parseLangFlag("", { LANG: "es_AR.UTF-8" })).to.deep.equal({
      error: '--lang debe ser uno de es, en; se recibió "".',
    });
  });
});

import { expect } from "chai";
import {
  fileArticleId,
  isFirestoreSafeId,
  MAX_ID_CHARS,
  rowArticleIds,
  slug,
} from "../../../src/knowledgeImport/articleIds";

describe("article ids from where the article came from", () => {
  it("makes a file's id from its path: folders joined by --, extension dropped", () => {
    expect(fileArticleId("envios/cordoba.md")).to.equal("envios--cordoba");
    expect(fileArticleId("Envíos/Córdoba Capital.md")).to.equal("envios--cordoba-capital");
    expect(fileArticleId("preguntas.csv")).to.equal("preguntas");
    expect(fileArticleId("a/b/c.v2.txt")).to.equal("a--b--c-v2");
  });

  it("slugs accents, case, punctuation and spaces away", () => {
    expect(slug("¿Hacen factura A?")).to.equal("hacen-factura-a");
    expect(slug("  Señal   débil!! ")).to.equal("senal-debil");
    expect(slug("Straße")).to.equal("strasse");
  });

  it("gives text with no letters or digits its hash, and cuts long text with the hash of the whole", () => {
    expect(slug("¿?")).to.match(/^x[0-9a-f]{8}$/);
    expect(slug("¿?")).to.equal(slug("¿?"));
    expect(slug("¿?")).to.not.equal(slug("¡!"));
    const long = "por qué ".repeat(40);
    expect(slug(long))
      .to.have.length.at.most(80)
      .and.match(/-[0-9a-f]{8}$/);
    expect(slug(`${long} a`)).to.not.equal(slug(`${long} b`));
  });

  it("always makes an id Firestore accepts, whatever the path", () => {
    for (const path of [
      "../x.md",
      "./.md",
      "__init__.md",
      "__x__/__y__.md",
      "a//b.md",
      `${"carpeta/".repeat(300)}x.md`,
      "日本語.md",
      "%2F.md",
    ]) {
      const id = fileArticleId(path);
      expect(isFirestoreSafeId(id), `${path} → ${id}`).to.equal(true);
      expect(id).to.match(/^[a-z0-9-]+$/);
      expect(id.length).to.be.at.most(MAX_ID_CHARS);
    }
    expect(isFirestoreSafeId("__x__")).to.equal(false);
    expect(isFirestoreSafeId("..")).to.equal(false);
    expect(isFirestoreSafeId("a/b")).to.equal(false);
  });

  it("keys list rows by their question, so reordering a sheet changes no id", () => {
    const questions = ["¿Hacen factura A?", "¿Puedo pagar en cuotas?", "¿Atienden feriados?"];
    const ids = rowArticleIds("pagos", questions);
    expect(ids).to.deep.equal([
      "pagos--hacen-factura-a",
      "pagos--puedo-pagar-en-cuotas",
      "pagos--atienden-feriados",
    ]);
    const reordered = rowArticleIds("pagos", [...questions].reverse());
    expect(reordered).to.deep.equal([...ids].reverse());
  });

  it("numbers repeated questions from 2, leaving a question's own slug to it", () => {
    expect(rowArticleIds("f", ["Pago", "pago", "Pago 2", "PAGO"])).to.deep.equal([
      "f--pago",
      "f--pago-3",
      "f--pago-2",
      "f--pago-4",
    ]);
  });
});

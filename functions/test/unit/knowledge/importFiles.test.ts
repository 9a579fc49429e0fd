import { expect } from "chai";
import { importFiles } from "../../../src/knowledgeImport/importFiles";
import { parseMarkdownArticle } from "../../../src/knowledgeImport/markdownArticle";

describe("kb:import: files as articles", () => {
  it("titles a Markdown file by its first heading, which leaves the body", () => {
    const { articles } = importFiles([
      { source: "envios/cordoba.md", text: "# Envíos a Córdoba\n\nEn 48 a 72 horas hábiles.\n" },
    ]);
    expect(articles).to.deep.equal([
      {
        id: "envios--cordoba",
        fields: {
          title: "Envíos a Córdoba",
          body: "En 48 a 72 horas hábiles.",
          source: "envios/cordoba.md",
        },
      },
    ]);
  });

  it("takes the first heading of any level, not one inside a code block; else the file name", () => {
    expect(parseMarkdownArticle("Intro.\n\n## Retiro ##\n\nTexto.", "x").title).to.equal("Retiro");
    const fenced = parseMarkdownArticle("```\n# no es título\n```\n\n# Título\nTexto", "x");
    expect(fenced.title).to.equal("Título");
    expect(fenced.body).to.equal("```\n# no es título\n```\n\nTexto");
    expect(parseMarkdownArticle("#hashtag, no título\n\nTexto", "mi-archivo").title).to.equal(
      "mi-archivo",
    );
  });

  it("reads url, tags, locale, title and enabled from front matter, kept out of the body", () => {
    const article = parseMarkdownArticle(
      '---\ntitle: "Retiro en sucursal"\nurl: https://ayuda.ejemplo.com/retiro\ntags: [envíos, sucursal]\nlocale: es-AR\nenabled: false\nautor: Ana\n---\n# Otro título\n\nTraiga el DNI.',
      "x",
    );
    expect(article).to.deep.equal({
      title: "Retiro en sucursal",
      body: "# Otro título\n\nTraiga el DNI.",
      url: "https://ayuda.ejemplo.com/retiro",
      tags: ["envíos", "sucursal"],
      locale: "es-AR",
      enabled: false,
    });
  });

  it("titles a .txt file by its name and keeps its text whole", () => {
    const { articles } = importFiles([
      { source: "cambios.txt", text: "\uFEFF# no es Markdown\r\nTiene 30 días.\r\n" },
    ]);
    expect(articles[0].fields).to.deep.equal({
      title: "cambios",
      body: "# no es Markdown\nTiene 30 días.",
      source: "cambios.txt",
    });
  });

  it("makes each CSV row an article: Spanish or English headers, optional url and tags", () => {
    const csv =
      'Pregunta,RESPUESTA,Etiquetas,url\n"¿Hacen factura A?","Sí, con su CUIT.","facturación; impuestos",\n¿Cuotas?,Hasta 6.,,https://x.com/cuotas\n';
    const { articles, skipped } = importFiles([{ source: "pagos.csv", text: csv }]);
    expect(skipped).to.deep.equal([]);
    expect(articles).to.deep.equal([
      {
        id: "pagos--hacen-factura-a",
        row: 2,
        fields: {
          title: "¿Hacen factura A?",
          body: "Sí, con su CUIT.",
          tags: ["facturación", "impuestos"],
          source: "pagos.csv",
        },
      },
      {
        id: "pagos--cuotas",
        row: 3,
        fields: {
          title: "¿Cuotas?",
          body: "Hasta 6.",
          url: "https://x.com/cuotas",
          source: "pagos.csv",
        },
      },
    ]);
    const english = importFiles([{ source: "faq.csv", text: "question,answer\nQ?,A.\n" }]);
    expect(english.articles.map((a) => [a.id, a.fields.title])).to.deep.equal([["faq--q", "Q?"]]);
  });

  it("makes each JSON item an article", () => {
    const json = JSON.stringify([
      { question: "¿Horario?", answer: "De 9 a 18 h.", tags: ["horarios"] },
      { pregunta: "¿Feriados?", respuesta: "No.", url: "https://x.com/f" },
    ]);
    const { articles } = importFiles([{ source: "horarios.json", text: json }]);
    expect(articles.map((a) => [a.id, a.row, a.fields])).to.deep.equal([
      [
        "horarios--horario",
        1,
        { title: "¿Horario?", body: "De 9 a 18 h.", tags: ["horarios"], source: "horarios.json" },
      ],
      [
        "horarios--feriados",
        2,
        { title: "¿Feriados?", body: "No.", url: "https://x.com/f", source: "horarios.json" },
      ],
    ]);
  });

  it("skips what cannot be an article, with the reason, and keeps the rest", () => {
    const result = importFiles([
      { source: "vacio.md", text: "# Solo un título\n" },
      { source: "largo.md", text: `# ${"t".repeat(301)}\n\nTexto.` },
      { source: "enorme.txt", text: "x".repeat(100_001) },
      {
        source: "etiquetas.md",
        text: `---\ntags: ${Array.from({ length: 21 }, (_, i) => `t${i}`).join(", ")}\n---\nTexto`,
      },
      { source: "url.md", text: "---\nurl: javascript:alert(1)\n---\nTexto" },
      { source: "columnas.csv", text: "titulo,texto\na,b\n" },
      { source: "roto.csv", text: 'pregunta,respuesta\n"abierto,sin cerrar\n' },
      { source: "roto.json", text: "[{" },
      { source: "objeto.json", text: '{"question":"a","answer":"b"}' },
      {
        source: "filas.csv",
        text: "pregunta,respuesta\n,sin pregunta\n¿Sin respuesta?,\n¿Bien?,Sí.\n",
      },
      { source: "ilegible.md", text: "", readError: "EACCES: permission denied" },
      { source: "ok.md", text: "Texto suficiente." },
    ]);
    expect(result.articles.map((a) => a.id)).to.deep.equal(["filas--bien", "ok"]);
    expect(result.skipped.map((s) => [s.source, s.row, s.reason, s.detail])).to.deep.equal([
      ["columnas.csv", undefined, "missing_columns", "titulo, texto"],
      ["enorme.txt", undefined, "body_too_long", "100001"],
      ["etiquetas.md", undefined, "too_many_tags", "21"],
      ["filas.csv", 2, "missing_question", undefined],
      ["filas.csv", 3, "empty_body", undefined],
      ["ilegible.md", undefined, "unreadable", "EACCES: permission denied"],
      ["largo.md", undefined, "title_too_long", "301"],
      ["objeto.json", undefined, "invalid_json", "not an array of {question, answer}"],
      ["roto.csv", undefined, "invalid_csv", "a quoted field never closes (line 2)"],
      ["roto.json", undefined, "invalid_json", result.skipped[9].detail],
      ["url.md", undefined, "invalid_url", "javascript:alert(1)"],
      ["vacio.md", undefined, "empty_body", undefined],
    ]);
    // Their stored versions are kept: a skipped article's id is known; an unparsed file's are not.
    expect(result.skipped.find((s) => s.source === "vacio.md")?.id).to.equal("vacio");
    expect(result.unparsedSources).to.deep.equal([
      "columnas.csv",
      "ilegible.md",
      "objeto.json",
      "roto.csv",
      "roto.json",
    ]);
  });

  it("skips the second file that would have the same id, naming the first", () => {
    const { articles, skipped } = importFiles([
      { source: "envios/cordoba.txt", text: "Texto B" },
      { source: "envios/cordoba.md", text: "Texto A" },
    ]);
    expect(articles.map((a) => [a.id, a.fields.source])).to.deep.equal([
      ["envios--cordoba", "envios/cordoba.md"],
    ]);
    expect(skipped).to.deep.equal([
      { source: "envios/cordoba.txt", reason: "duplicate_id", detail: "envios/cordoba.md" },
    ]);
  });
});

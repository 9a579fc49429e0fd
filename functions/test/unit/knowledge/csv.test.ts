import { expect } from "chai";
import { CsvError, detectDelimiter, parseCsv } from "../../../src/knowledgeImport/csv";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("CSV (RFC 4180, as spreadsheets export it)", () => {
  it("splits records on CRLF or LF and fields on commas", () => {
    expect(fields("pregunta,respuesta\r\nhola,chau\nuno,dos\n")).to.deep.equal([
      ["pregunta", "respuesta"],
      ["hola", "chau"],
      ["uno", "dos"],
    ]);
  });

  it("keeps commas, line breaks and doubled quotes inside a quoted field", () => {
    expect(
      fields('q,a\n"¿Envían a Salta, Jujuy?","Sí.\r\nEn 5 días, ""hábiles"".",x\n'),
    ).to.deep.equal([
      ["q", "a"],
      ["¿Envían a Salta, Jujuy?", 'Sí.\r\nEn 5 días, "hábiles".', "x"],
    ]);
  });

  it("keeps empty fields and a last record without a line break", () => {
    expect(fields('a,b,c\n,,"" \n1,,3')).to.deep.equal([
      ["a", "b", "c"],
      ["", "", " "],
      ["1", "", "3"],
    ]);
  });

  it("drops a byte-order mark and blank lines", () => {
    expect(fields("\uFEFFq,a\n\n\r\nx,y\n\n")).to.deep.equal([
      ["q", "a"],
      ["x", "y"],
    ]);
  });

  it("says on which line each record starts, line breaks in quotes counted", () => {
    expect(parseCsv('q,a\n"1\n2",b\nc,d').map((r) => r.line)).to.deep.equal([1, 2, 4]);
  });

  it("reads the semicolons Excel writes in Spanish locales, and tabs", () => {
    expect(detectDelimiter("pregunta;respuesta;url\n")).to.equal(";");
    expect(detectDelimiter('"a,b";c\n')).to.equal(";");
    expect(detectDelimiter("q\ta\n")).to.equal("\t");
    expect(detectDelimiter("pregunta,respuesta\n")).to.equal(",");
    expect(detectDelimiter("solo\n")).to.equal(",");
    expect(fields('pregunta;respuesta\n"¿Cuotas?";"Sí; hasta 6, sin interés"')).to.deep.equal([
      ["pregunta", "respuesta"],
      ["¿Cuotas?", "Sí; hasta 6, sin interés"],
    ]);
  });

  it("keeps a stray quote inside an unquoted field as a character", () => {
    expect(fields('q,a\nel "mejor" precio,sí')).to.deep.equal([
      ["q", "a"],
      ['el "mejor" precio', "sí"],
    ]);
  });

  it("refuses a quoted field that never closes, naming the line it opened on", () => {
    const parse = () => parseCsv('q,a\nuno,dos\n"tres,cuatro\ncinco');
    expect(parse).to.throw(CsvError).with.property("line", 3);
  });
});

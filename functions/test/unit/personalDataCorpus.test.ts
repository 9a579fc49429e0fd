import { expect } from "chai";
import {
  type CorpusReport,
  corpusReport,
  formatCorpusReport,
  CORPUS_FILES,
  parseCorpusLine,
  readCorpus,
} from "../support/personalDataCorpus";

/*
 * Detection on the labelled corpora (test/fixtures/): the personal data in support messages from
 * six countries is found, and messages without any are left alone.
 */

const CONTACT_KINDS = ["email", "phone", "card"] as const;
const ID_AND_ACCOUNT_KINDS = ["dni", "nie", "cuit", "rut", "cpf", "curp", "cbu", "iban"] as const;

describe("personal data in the support-message corpus", () => {
  it("reads the corpus's marks as spans of the message without them", () => {
    const line = parseCorpusLine("Mi cel es {phone:11 5555 1234} y mi mail {email:a@b.com}");
    expect(line.text).to.equal("Mi cel es 11 5555 1234 y mi mail a@b.com");
    expect(line.expected).to.deep.equal([
      { start: 10, end: 22, kind: "phone", value: "11 5555 1234" },
      { start: 33, end: 40, kind: "email", value: "a@b.com" },
    ]);
  });

  const corpora = [
    { name: "the corpus", file: CORPUS_FILES.main, lines: [200, 100], perKind: [20, 10] },
    { name: "the held-out corpus", file: CORPUS_FILES.heldOut, lines: [120, 80], perKind: [15, 5] },
  ];
  for (const corpus of corpora) {
    describe(corpus.name, () => {
      let report: CorpusReport;

      before(() => {
        report = corpusReport(readCorpus(corpus.file));
        console.log(`${corpus.name}:\n${formatCorpusReport(report)}`);
      });

      it(`holds at least ${corpus.lines[0]} messages with personal data and ${corpus.lines[1]} without`, () => {
        expect(report.personalLines).to.be.at.least(corpus.lines[0]);
        expect(report.cleanLines).to.be.at.least(corpus.lines[1]);
      });

      it("finds at least 98% of e-mails, phones and cards", () => {
        for (const kind of CONTACT_KINDS) {
          const score = report.kinds.find((k) => k.kind === kind)!;
          expect(score.expected, kind).to.be.at.least(corpus.perKind[0]);
          expect(score.recall, kind).to.be.at.least(0.98);
        }
      });

      it("finds at least 95% of each national ID and bank account kind", () => {
        for (const kind of ID_AND_ACCOUNT_KINDS) {
          const score = report.kinds.find((k) => k.kind === kind)!;
          expect(score.expected, kind).to.be.at.least(corpus.perKind[1]);
          expect(score.recall, kind).to.be.at.least(0.95);
        }
      });

      it("touches at most 1% of the messages without personal data", () => {
        expect(report.touchedShare).to.be.at.most(0.01);
      });
    });
  }
});

import Mocha from "mocha";

/**
 * Mocha's spec reporter plus one plain closing line, `tests: N passed, N failed, N skipped`,
 * the form CI reads in any language (pending tests, such as the rules tests without the
 * official emulator, count as skipped, never as passed).
 */
class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      process.stdout.write(
        `\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`,
      );
    });
  }
}

export = SpecWithSummary;

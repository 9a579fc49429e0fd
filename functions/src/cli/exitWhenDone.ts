/**
 * Runs an operator command's `main` and exits with its code: 1 with the message when it threw,
 * so a script (or CI) sees the failure and the operator reads one line, not a stack.
 */
export function exitWhenDone(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`✗ ${(err as Error).message}`);
      process.exit(1);
    },
  );
}

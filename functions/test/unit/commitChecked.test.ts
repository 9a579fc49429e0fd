import { expect } from "chai";
import { commitChecked } from "../../src/core/firestoreCommit";

const grpcError = (code: number) => Object.assign(new Error(`${code}`), { code });

describe("commitChecked: a commit whose answer was lost", () => {
  it("sends again only when the write did not land", async () => {
    const sent: number[] = [];
    let landed = false;
    await commitChecked(
      async () => {
        sent.push(sent.length);
        if (sent.length === 1) throw grpcError(2); // UNKNOWN, not applied
        landed = true;
      },
      async () => landed,
    );
    expect(sent).to.have.length(2);
  });

  it("does not send again an UNKNOWN answer whose write landed", async () => {
    let sent = 0;
    await commitChecked(
      async () => {
        sent += 1;
        throw grpcError(2);
      },
      async () => true,
    );
    expect(sent).to.equal(1);
  });

  it("takes ALREADY_EXISTS for its own write when it landed (the SDK re-sent the create)", async () => {
    await commitChecked(
      async () => {
        throw grpcError(6);
      },
      async () => true,
    );
  });

  it("passes on another writer's ALREADY_EXISTS, and any other error, at once", async () => {
    for (const code of [6, 3, 7]) {
      let sent = 0;
      const failure = await commitChecked(
        async () => {
          sent += 1;
          throw grpcError(code);
        },
        async () => false,
      ).catch((err: { code: number }) => err.code);
      expect(failure, `code ${code}`).to.equal(code);
      expect(sent, `code ${code}`).to.equal(1);
    }
  });

  it("gives up after its attempts, having checked each time", async () => {
    let checks = 0;
    const failure = await commitChecked(
      async () => {
        throw grpcError(14);
      },
      async () => {
        checks += 1;
        return false;
      },
      3,
    ).catch((err: { code: number }) => err.code);
    expect(failure).to.equal(14);
    expect(checks).to.equal(3);
  });
});

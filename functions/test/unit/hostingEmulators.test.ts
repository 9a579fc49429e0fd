import { expect } from "chai";
import { authEmulatorFromInitJs } from "../../console-page/hostingEmulators";

describe("the console finds the Auth emulator the Hosting emulator declares", () => {
  const initJs = (emulators: string) =>
    `if (typeof firebase === 'undefined') throw new Error('…');\nvar firebaseConfig = {\n  "projectId": "p"\n};\nif (firebaseConfig) {\n  firebase.initializeApp(firebaseConfig);\n\n  ${emulators}\n}`;

  it("reads the auth emulator's host and port from init.js?useEmulator=true", () => {
    const declared = `var firebaseEmulators = {\n  "auth": {\n    "host": "127.0.0.1",\n    "port": 9099,\n    "hostAndPort": "127.0.0.1:9099"\n  },\n  "firestore": {\n    "host": "127.0.0.1",\n    "port": 8080,\n    "hostAndPort": "127.0.0.1:8080"\n  }\n};`;
    expect(authEmulatorFromInitJs(initJs(declared))).to.equal("http://127.0.0.1:9099");
  });

  it("finds none where Hosting declares no emulators (deployed), or no Auth emulator", () => {
    expect(authEmulatorFromInitJs(initJs("var firebaseEmulators = undefined;"))).to.equal(
      undefined,
    );
    const noAuth = `var firebaseEmulators = {\n  "firestore": {\n    "hostAndPort": "127.0.0.1:8080"\n  }\n};`;
    expect(authEmulatorFromInitJs(initJs(noAuth))).to.equal(undefined);
    const odd = `var firebaseEmulators = {\n  "auth": {\n    "hostAndPort": "evil.example/\\"x"\n  }\n};`;
    expect(authEmulatorFromInitJs(initJs(odd))).to.equal(undefined);
  });
});

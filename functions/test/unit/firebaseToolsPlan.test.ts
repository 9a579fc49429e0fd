import { expect } from "chai";
import { parseJavaMajorVersion } from "../../dev/gcloudSdk";
import { MachineFacts, planFirebaseTools } from "../../dev/emulatorSuite/firebaseToolsPlan";
import { launcherManifest } from "../../dev/emulatorSuite/launcherJar";

const JAR = "/sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";
const PUBSUB = "/sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
const LAUNCHER = "/repo/functions/build-dev/emulators/firestore-launcher.jar";

function facts(overrides: Partial<MachineFacts>): MachineFacts {
  return {
    javaMajor: 17,
    gcloud: { firestoreJar: JAR, pubsubLauncher: PUBSUB },
    cached: { firestore: false, pubsub: false, ui: false },
    userSet: { firestore: false, pubsub: false },
    uiDownloadable: async () => false,
    ...overrides,
  };
}

describe("how firebase-tools gets its emulators (firebaseToolsPlan)", () => {
  it("a laptop with Java 21 and firebase-tools' own downloads needs no binary path or Java floor", async () => {
    const plan = await planFirebaseTools(
      facts({ javaMajor: 21, cached: { firestore: true, pubsub: true, ui: true } }),
      "auto",
      LAUNCHER,
    );
    expect(plan.env).to.deep.equal({ EMULATOR_SUITE_SCHEDULES: "pubsub" });
    expect(plan.ui).to.equal(true);
    expect(plan.problems).to.deep.equal([]);
  });

  it("Java 17 with the gcloud components: the launcher jar, the Pub/Sub launcher and the Java floor of 17", async () => {
    const plan = await planFirebaseTools(facts({}), "auto", LAUNCHER);
    expect(plan.firestoreLauncher).to.deep.equal({ forJar: JAR });
    expect(plan.env).to.deep.equal({
      EMULATOR_SUITE_SCHEDULES: "pubsub",
      FIRESTORE_EMULATOR_BINARY_PATH: LAUNCHER,
      EMULATOR_SUITE_JAVA_FLOOR: "17",
      PUBSUB_EMULATOR_BINARY_PATH: PUBSUB,
      EMULATOR_SUITE_UI: "off",
    });
  });

  it("Java 21 without firebase-tools' downloads uses the components, with no Java floor to lower", async () => {
    const plan = await planFirebaseTools(facts({ javaMajor: 21 }), "off", LAUNCHER);
    expect(plan.env.FIRESTORE_EMULATOR_BINARY_PATH).to.equal(LAUNCHER);
    expect(plan.env).to.not.have.property("EMULATOR_SUITE_JAVA_FLOOR");
  });

  it("keeps the binary paths a user set", async () => {
    const plan = await planFirebaseTools(
      facts({ userSet: { firestore: true, pubsub: true } }),
      "off",
      LAUNCHER,
    );
    expect(plan.env).to.not.have.property("FIRESTORE_EMULATOR_BINARY_PATH");
    expect(plan.env).to.not.have.property("PUBSUB_EMULATOR_BINARY_PATH");
    expect(plan.firestoreLauncher).to.equal(undefined);
    // Theirs may run on Java 17: firebase-tools' floor of 21 is for its own jar.
    expect(plan.env.EMULATOR_SUITE_JAVA_FLOOR).to.equal("17");
  });

  it("says why it cannot start: Java 17 without the Firestore component, or no Java", async () => {
    const noComponent = await planFirebaseTools(facts({ gcloud: {} }), "off", LAUNCHER);
    expect(noComponent.problems.join())
      .to.include("Java 17")
      .and.include("cloud-firestore-emulator");
    const noJava = await planFirebaseTools(facts({ javaMajor: undefined }), "off", LAUNCHER);
    expect(noJava.problems.join()).to.include("Java does not run");
  });

  it("starts the Emulator UI where it is cached or can be downloaded, never when asked off", async () => {
    let asked = 0;
    const downloadable = async () => {
      asked += 1;
      return true;
    };
    expect(
      (await planFirebaseTools(facts({ uiDownloadable: downloadable }), "auto", LAUNCHER)).ui,
    ).to.equal(true);
    expect(
      (await planFirebaseTools(facts({ uiDownloadable: downloadable }), "off", LAUNCHER)).ui,
    ).to.equal(false);
    const cached = facts({
      cached: { firestore: false, pubsub: false, ui: true },
      uiDownloadable: downloadable,
    });
    expect((await planFirebaseTools(cached, "auto", LAUNCHER)).ui).to.equal(true);
    expect(asked).to.equal(1);
  });

  it("the launcher jar's manifest names the main class and the component's jar relative to it", () => {
    const manifest = launcherManifest(
      "/repo/functions/build-dev/emulators/launcher.jar",
      "/usr/lib/google cloud/x.jar",
    );
    expect(manifest).to.include(
      "Main-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore\r\n",
    );
    expect(manifest.replace(/\r\n /g, "")).to.include(
      "Class-Path: ../../../../usr/lib/google%20cloud/x.jar\r\n",
    );
    for (const line of manifest.split("\r\n")) expect(Buffer.byteLength(line)).to.be.at.most(72);
  });

  it("reads Java's major version from java -version, old and new styles", () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15')).to.equal(17);
    expect(parseJavaMajorVersion('java version "1.8.0_392"')).to.equal(8);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).to.equal(21);
    expect(parseJavaMajorVersion("no java here")).to.equal(undefined);
  });
});

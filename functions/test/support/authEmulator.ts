import { randomUUID } from "node:crypto";

/**
 * A user signed up in the Auth emulator, with the ID token a browser would hold and the email
 * and password a browser signs in with.
 */
export async function signUpTestUser(): Promise<{
  uid: string;
  idToken: string;
  email: string;
  password: string;
}> {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!host) throw new Error("FIREBASE_AUTH_EMULATOR_HOST is not set");
  const email = `${randomUUID()}@example.com`;
  const password = "demo-password";
  const response = await fetch(
    `http://${host}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email,
        password,
        returnSecureToken: true,
      }),
    },
  );
  if (!response.ok)
    throw new Error(`Auth emulator sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { localId: string; idToken: string };
  return { uid: body.localId, idToken: body.idToken, email, password };
}

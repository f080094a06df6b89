// An agent of this example app. After `flue add sandbox mirage`, give it
// `sandbox: mirage(workspace)` to expose a Mirage workspace to it.
export const instructions = "You are a helpful assistant.";

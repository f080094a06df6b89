import { defineConfig } from "vite";
import { flue } from "@flue/vite";

export default defineConfig({
  // Deploys as a plain Node.js server.
  plugins: [flue({ target: "node" })],
});

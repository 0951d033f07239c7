// Copies GOV.UK Frontend's fonts, images and JavaScript, and our own modules, into the Django static folder.
// Run by `npm run build` after sass. Node standard library only.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const target = join(here, "..", "amends", "core", "static", "amends");

mkdirSync(target, { recursive: true });
cpSync(join(govuk, "assets"), join(target, "assets"), { recursive: true });
// The source map comes too: Django's manifest storage follows the sourceMappingURL comment and fails if it is missing.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govuk, name), join(target, name));
}
cpSync(join(here, "js"), target, { recursive: true });
console.log(`Copied GOV.UK Frontend assets and scripts to ${target}`);

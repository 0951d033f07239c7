// Starts the GOV.UK Frontend components on the page. Pages work without it: it only enhances.
import { initAll } from "./govuk-frontend.min.js";

initAll();

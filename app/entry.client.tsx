import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { isLang, loadCatalogue } from "./i18n/i18n";

// The page was rendered in this language: its catalogue must be here before hydration.
const lang = document.documentElement.lang;
// If it cannot be loaded (a dropped connection), the page still comes alive, in Japanese.
void loadCatalogue(isLang(lang) ? lang : "ja")
  .catch(() => undefined)
  .then(() =>
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <RemixBrowser />
        </StrictMode>,
      );
    }),
  );

import { useEffect, useState } from "react";

/** Asks the browser to print; shown only once JavaScript runs (Ctrl+P works without it). */
export function PrintButton({ label }: { label: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return null;
  return (
    <button type="button" className="button--primary" onClick={() => window.print()}>
      {label}
    </button>
  );
}

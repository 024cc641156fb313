import { describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { ja } from "~/i18n/ja";
import { AUDIT_ACTIONS, PAGE_EVENT_ACTIONS, isAuditAction } from "./audit-actions";

describe("audit actions", () => {
  it("are listed once each, all as <entity>.<verb> in snake_case", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it("each have a label in both catalogues for the audit log page", () => {
    for (const action of AUDIT_ACTIONS) {
      expect(ja).toHaveProperty([`audit.action.${action}`]);
      expect(en).toHaveProperty([`audit.action.${action}`]);
    }
  });

  it("include every action a page's history shows, and nothing else passes as one", () => {
    for (const action of PAGE_EVENT_ACTIONS) expect(isAuditAction(action)).toBe(true);
    for (const old of ["create", "login_failed", "page.upload", "", null])
      expect(isAuditAction(old)).toBe(false);
  });
});

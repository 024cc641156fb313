import { describe, expect, it } from "vitest";
import { auditInstantRange, auditSearch, parseAuditFilters } from "./audit-filters";

const parse = (query: string) => parseAuditFilters(new URLSearchParams(query));

describe("audit filters", () => {
  it("read what the form sends, empty fields meaning any", () => {
    expect(
      parse("who=staff%3A3&action=page.approve&entity=page&id=123&from=2026-12-01&to=2026-12-05"),
    ).toEqual({
      filters: {
        who: { type: "staff", id: 3 },
        action: "page.approve",
        entityType: "page",
        entityId: "123",
        from: "2026-12-01",
        to: "2026-12-05",
      },
      errors: {},
      page: 1,
    });
    expect(parse("who=&action=&entity=&id=&from=&to=&page=3")).toEqual({
      filters: {},
      errors: {},
      page: 3,
    });
    expect(parse("who=anonymous").filters.who).toEqual({ type: "anonymous" });
    expect(parse("who=participant").filters.who).toEqual({ type: "participant" });
  });

  it("name the field of every value they cannot read", () => {
    expect(parse("who=staff:0&action=drop&entity=secret&from=2026-02-29&to=x").errors).toEqual({
      who: "audit.error.who",
      action: "audit.error.action",
      entity: "audit.error.entity",
      from: "audit.error.date",
      to: "audit.error.date",
    });
    expect(parse("entity=page&id=-1").errors).toEqual({ id: "audit.error.entityIdFormat" });
    expect(parse("id=12").errors).toEqual({ id: "audit.error.entityIdNeedsType" });
    expect(parse("from=2026-12-05&to=2026-12-04").errors).toEqual({ to: "audit.error.dateOrder" });
  });

  it("round-trip through the query string, page 1 left out", () => {
    const { filters } = parse("who=participant:5&entity=diary_group&id=7&from=2026-01-01");
    expect(auditSearch(filters)).toBe(
      "who=participant%3A5&entity=diary_group&id=7&from=2026-01-01",
    );
    expect(parse(auditSearch(filters, 2))).toEqual({ filters, errors: {}, page: 2 });
  });

  it("turn Japan dates into UTC instants, the last day included", () => {
    expect(auditInstantRange({ from: "2026-12-01", to: "2026-12-31" })).toEqual({
      fromIso: "2026-11-30T15:00:00.000Z",
      beforeIso: "2026-12-31T15:00:00.000Z",
    });
  });
});

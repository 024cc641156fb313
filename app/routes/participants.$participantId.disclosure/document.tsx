/**
 * The index of a disclosure archive: one HTML file that opens from the unzipped folder with no
 * network and no script (plain CSS, images by relative path, <details> for older versions), for
 * the participant to read and staff to print. Japanese, whatever the staff member's language:
 * it is handed to the participant.
 */
import type { Disclosure, DisclosurePage } from "~/models/disclosure.server";
import { isMessageKey, makeT, type TFunction } from "~/i18n/i18n";
import { APP_TIME_ZONE } from "~/utils/dates";

const CSS = `
  :root { color-scheme: light; }
  body { font-family: "Hiragino Sans", "Noto Sans JP", "Yu Gothic", Meiryo, sans-serif;
    line-height: 1.7; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 62rem;
    padding: 1.5rem; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; }
  h2 { font-size: 1.3rem; border-bottom: 2px solid #444; margin-top: 2.5rem; }
  h3 { font-size: 1.1rem; margin: 0 0 .5rem; }
  .muted { color: #555; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; }
  dl.facts dt { font-weight: bold; }
  dl.facts dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: .95rem; }
  th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  nav ol { columns: 2; }
  .page { border: 1px solid #999; border-radius: 6px; padding: 1rem; margin: 1.5rem 0;
    break-inside: avoid; }
  .page-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
  .page-body img { width: 100%; height: auto; border: 1px solid #ccc; }
  .text { white-space: pre-wrap; background: #fafaf5; border: 1px solid #ddd; padding: .75rem;
    font-size: 1.05rem; }
  details { margin-top: .75rem; }
  summary { cursor: pointer; }
  .version { margin: .5rem 0 1rem; }
  @media (max-width: 40rem) { .page-body { grid-template-columns: 1fr; } nav ol { columns: 1; } }
  @media print { body { max-width: none; padding: 0; } details > * { display: block; }
    a { color: inherit; text-decoration: none; } }
`;

/** 2026年5月1日(金): written out, as on a letter (the staff pages use the short form). */
function longDate(date: string | null | undefined) {
  if (!date) return "";
  return new Intl.DateTimeFormat("ja-JP", {
    timeZone: "UTC",
    year: "numeric",
    month: "long",
    day: "numeric",
    weekday: "short",
  }).format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
}

/** 2026年5月1日(金) 14:05, in Japan. */
function longDateTime(iso: string | null | undefined) {
  if (!iso) return "";
  const at = new Date(iso);
  const time = new Intl.DateTimeFormat("ja-JP", {
    timeZone: APP_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
  }).format(at);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: APP_TIME_ZONE }).format(at);
  return `${longDate(day)} ${time}`;
}

function statusLabel(t: TFunction, status: string) {
  const key = `review.status.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

function PageArticle({ page, t }: { page: DisclosurePage; t: TFunction }) {
  const shown = page.versions.find((v) => v.approved) ?? page.versions.at(-1) ?? null;
  const others = page.versions.filter((v) => v !== shown).reverse();
  const date = page.entryDate ?? page.uploadedOn;
  return (
    <article className="page" id={`page-${page.id}`}>
      <h3>
        {t("disclosure.pageHeading", {
          group: page.groupName,
          notebook: page.notebookLabel,
          n: page.pageNumber,
        })}
        {date ? `　${longDate(date)}` : null}
      </h3>
      <p className="muted">
        {t("disclosure.pageStatus", {
          status: statusLabel(t, page.status),
          at: longDateTime(page.createdAt),
        })}
        {page.hidden ? `　${t("disclosure.pageHidden")}` : null}
      </p>
      <div className="page-body">
        <div>
          {page.images.crop ? (
            <img
              src={`images/${page.images.crop}`}
              alt={t("disclosure.imageAlt", { n: page.pageNumber })}
            />
          ) : page.images.view ? (
            <img
              src={`images/${page.images.view}`}
              alt={t("disclosure.imageAlt", { n: page.pageNumber })}
            />
          ) : null}
          {page.images.crop && page.images.view ? (
            <p>
              <a href={`images/${page.images.view}`}>{t("disclosure.wholePhoto")}</a>
            </p>
          ) : null}
        </div>
        <div>
          {shown ? (
            <>
              <p className="muted">
                {t(shown.approved ? "disclosure.approvedText" : "disclosure.latestText", {
                  v: shown.version,
                })}
              </p>
              <div className="text">{shown.text}</div>
            </>
          ) : (
            <p className="muted">{t("disclosure.noText")}</p>
          )}
          {others.length > 0 ? (
            <details>
              <summary>{t("disclosure.otherVersions", { n: others.length })}</summary>
              {others.map((v) => (
                <div className="version" key={v.version}>
                  <p className="muted">
                    {t("disclosure.versionLine", {
                      v: v.version,
                      source: t(v.source === "ocr" ? "disclosure.byOcr" : "disclosure.byStaff"),
                      who: v.createdBy ?? "",
                      at: longDateTime(v.createdAt),
                    })}
                  </p>
                  <div className="text">{v.text}</div>
                </div>
              ))}
            </details>
          ) : null}
        </div>
      </div>
    </article>
  );
}

const or = (value: string | null | undefined, t: TFunction) => value || t("disclosure.none");

function auditActor(entry: Disclosure["audit"][number], t: TFunction) {
  if (entry.actor.type === "participant") return t("disclosure.self");
  if (entry.actor.type === "staff") return entry.actor.name ?? "";
  if (entry.actor.type === "system") return t("disclosure.system");
  return t("disclosure.anonymous");
}

function auditTarget(entry: Disclosure["audit"][number], d: Disclosure, t: TFunction) {
  if (entry.entityType === "page") {
    const page = d.pages.find((p) => String(p.id) === entry.entityId);
    return page ? t("disclosure.targetPage", { n: page.pageNumber }) : entry.entityType;
  }
  if (entry.entityType === "seed") return t("disclosure.targetSeed");
  if (entry.entityType === "participant") return t("disclosure.targetRecord");
  return entry.entityType;
}

export function DisclosureDocument({ d }: { d: Disclosure }) {
  const t = makeT("ja");
  const p = d.participant;
  const date = (v: string | null) => (v ? longDate(v) : t("disclosure.none"));
  const hideRequests = d.pages.filter((pg) => pg.hideRequestedAt);
  const ageKey = `age.${p.ageBand}`;
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("disclosure.title", { name: p.penName })}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <h1>{t("disclosure.title", { name: p.penName })}</h1>
          <p>
            {t("disclosure.madeAt", {
              at: longDateTime(d.generatedAt),
              by: d.generatedBy,
            })}
          </p>
          <p>{t("disclosure.intro")}</p>
        </header>
        <nav aria-label={t("disclosure.contents")}>
          <h2>{t("disclosure.contents")}</h2>
          <ol>
            <li>
              <a href="#record">{t("disclosure.record")}</a>
            </li>
            <li>
              <a href="#groups">{t("disclosure.groups")}</a>
            </li>
            <li>
              <a href="#handoffs">{t("disclosure.handoffs")}</a>
            </li>
            <li>
              <a href="#pages">{t("disclosure.pages", { n: d.pages.length })}</a>
            </li>
            <li>
              <a href="#hide">{t("disclosure.hideRequests")}</a>
            </li>
            <li>
              <a href="#seeds">{t("disclosure.seeds")}</a>
            </li>
            <li>
              <a href="#sessions">{t("disclosure.sessions")}</a>
            </li>
            <li>
              <a href="#audit">{t("disclosure.audit")}</a>
            </li>
            <li>
              <a href="#excluded">{t("disclosure.excluded")}</a>
            </li>
          </ol>
        </nav>

        <section id="record">
          <h2>{t("disclosure.record")}</h2>
          <dl className="facts">
            <dt>{t("disclosure.penName")}</dt>
            <dd>{p.penName}</dd>
            <dt>{t("disclosure.realName")}</dt>
            <dd>{p.realName}</dd>
            <dt>{t("participants.contact")}</dt>
            <dd>{or(p.contact, t)}</dd>
            <dt>{t("participants.ageBand")}</dt>
            <dd>{isMessageKey(ageKey) ? t(ageKey) : p.ageBand}</dd>
            <dt>{t("participants.cohort")}</dt>
            <dd>{p.cohortName}</dd>
            <dt>{t("participants.referralType")}</dt>
            <dd>
              {t(`referral.${p.referralType}`)}
              {p.referredBy ? `（${p.referredBy}）` : null}
              {p.referralNote ? `　${p.referralNote}` : null}
            </dd>
            <dt>{t("participants.consentReading")}</dt>
            <dd>{date(p.consentReadingOn)}</dd>
            <dt>{t("participants.consentDigitising")}</dt>
            <dd>{date(p.consentDigitisingOn)}</dd>
            <dt>{t("participants.consentSeeds")}</dt>
            <dd>{date(p.consentSeedsOn)}</dd>
            <dt>{t("participants.withdrawnOn")}</dt>
            <dd>{date(p.withdrawnOn)}</dd>
            <dt>{t("disclosure.codeIssuedAt")}</dt>
            <dd>
              {p.accessCodeIssuedAt ? longDateTime(p.accessCodeIssuedAt) : t("disclosure.none")}
            </dd>
            <dt>{t("disclosure.pagesHidden")}</dt>
            <dd>
              {p.pagesHiddenAt
                ? t("disclosure.pagesHiddenSince", { at: longDateTime(p.pagesHiddenAt) })
                : t("disclosure.none")}
            </dd>
            <dt>{t("disclosure.registeredAt")}</dt>
            <dd>{longDateTime(p.createdAt)}</dd>
          </dl>
        </section>

        <section id="groups">
          <h2>{t("disclosure.groups")}</h2>
          {d.memberships.length === 0 ? (
            <p>{t("disclosure.none")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("disclosure.group")}</th>
                  <th scope="col">{t("participants.cohort")}</th>
                  <th scope="col">{t("disclosure.room")}</th>
                  <th scope="col">{t("disclosure.period")}</th>
                </tr>
              </thead>
              <tbody>
                {d.memberships.map((m, i) => (
                  <tr key={i}>
                    <td>{m.groupName}</td>
                    <td>{m.cohortName}</td>
                    <td>{m.roomName}</td>
                    <td>
                      {longDate(m.joinedOn)} 〜 {m.leftOn ? longDate(m.leftOn) : ""}
                      {m.leftReason ? `（${m.leftReason}）` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section id="handoffs">
          <h2>{t("disclosure.handoffs")}</h2>
          {d.handoffs.length === 0 ? (
            <p>{t("disclosure.none")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("disclosure.when")}</th>
                  <th scope="col">{t("disclosure.notebook")}</th>
                  <th scope="col">{t("disclosure.from")}</th>
                  <th scope="col">{t("disclosure.to")}</th>
                  <th scope="col">{t("disclosure.room")}</th>
                  <th scope="col">{t("disclosure.due")}</th>
                  <th scope="col">{t("disclosure.recordedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {d.handoffs.map((h, i) => (
                  <tr key={i}>
                    <td>{longDateTime(h.handedAt)}</td>
                    <td>
                      {h.groupName} {h.notebookLabel}
                    </td>
                    <td>{h.from ?? t("disclosure.atRoom")}</td>
                    <td>{h.to ?? t("disclosure.atRoom")}</td>
                    <td>{h.roomName}</td>
                    <td>{h.dueOn ? longDate(h.dueOn) : ""}</td>
                    <td>
                      {h.recordedBy}
                      {h.note ? `（${h.note}）` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section id="pages">
          <h2>{t("disclosure.pages", { n: d.pages.length })}</h2>
          <p>{t("disclosure.pagesIntro")}</p>
          {d.pages.length === 0 ? <p>{t("disclosure.none")}</p> : null}
          {d.pages.map((page) => (
            <PageArticle key={page.id} page={page} t={t} />
          ))}
        </section>

        <section id="hide">
          <h2>{t("disclosure.hideRequests")}</h2>
          {hideRequests.length === 0 ? (
            <p>{t("disclosure.none")}</p>
          ) : (
            <ul>
              {hideRequests.map((pg) => (
                <li key={pg.id}>
                  <a href={`#page-${pg.id}`}>{t("disclosure.targetPage", { n: pg.pageNumber })}</a>
                  ：{t("disclosure.hideRequestedAt", { at: longDateTime(pg.hideRequestedAt) })}
                  {pg.hidden
                    ? `　${t("disclosure.pageHidden")}`
                    : `　${t("disclosure.shownAgain")}`}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section id="seeds">
          <h2>{t("disclosure.seeds")}</h2>
          <p>{t("disclosure.seedsIntro")}</p>
          {d.seeds.length === 0 ? (
            <p>{t("disclosure.none")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("disclosure.page")}</th>
                  <th scope="col">{t("disclosure.quote")}</th>
                  <th scope="col">{t("disclosure.seedTitle")}</th>
                  <th scope="col">{t("disclosure.state")}</th>
                </tr>
              </thead>
              <tbody>
                {d.seeds.map((s) => (
                  <tr key={s.id}>
                    <td>{s.pageNumber ?? ""}</td>
                    <td>{s.quote}</td>
                    <td>
                      {s.title}（{t(`seeds.category.${s.category}`)}）
                      {s.note ? (
                        <>
                          <br />
                          <span className="muted">{s.note}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {t(`seeds.status.${s.status}`)}
                      {s.resourceName ? `：${s.resourceName}` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section id="sessions">
          <h2>{t("disclosure.sessions")}</h2>
          {d.sessions.length === 0 ? (
            <p>{t("disclosure.none")}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("disclosure.since")}</th>
                  <th scope="col">{t("disclosure.lastSeen")}</th>
                  <th scope="col">{t("disclosure.device")}</th>
                </tr>
              </thead>
              <tbody>
                {d.sessions.map((s, i) => (
                  <tr key={i}>
                    <td>{longDateTime(s.createdAt)}</td>
                    <td>{longDateTime(s.lastSeenAt)}</td>
                    <td>
                      {s.ip} {s.userAgent}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section id="audit">
          <h2>{t("disclosure.audit")}</h2>
          <p>{t("disclosure.auditIntro")}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("disclosure.when")}</th>
                <th scope="col">{t("disclosure.what")}</th>
                <th scope="col">{t("disclosure.who")}</th>
                <th scope="col">{t("disclosure.target")}</th>
              </tr>
            </thead>
            <tbody>
              {d.audit.map((a) => {
                const key = `audit.action.${a.action}`;
                return (
                  <tr key={a.id}>
                    <td>{longDateTime(a.at)}</td>
                    <td>{isMessageKey(key) ? t(key) : a.action}</td>
                    <td>{auditActor(a, t)}</td>
                    <td>{auditTarget(a, d, t)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>

        <section id="excluded">
          <h2>{t("disclosure.excluded")}</h2>
          <ul>
            <li>{t("disclosure.excludedOriginals")}</li>
            <li>{t("disclosure.excludedCode")}</li>
            <li>{t("disclosure.excludedStaffNotes")}</li>
            <li>{t("disclosure.excludedOthers")}</li>
          </ul>
          <h2>{t("disclosure.files")}</h2>
          <p>{t("disclosure.filesIntro")}</p>
        </section>
      </body>
    </html>
  );
}

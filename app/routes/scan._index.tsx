import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Field } from "~/components/field";
import { pageTitle } from "~/i18n/page-title";
import { useT } from "~/i18n/use-t";
import { searchGroupsForScan } from "~/models/groups.server";
import { requireStaff } from "~/utils/auth.server";
import { cutCodePoints } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const q = cutCodePoints(new URL(request.url).searchParams.get("q") ?? "", 60);
  return { q, groups: await searchGroupsForScan(q) };
}

export default function ScanPick() {
  const { q, groups } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div>
      <h1>{t("scan.title")}</h1>
      <Form method="get" className="filters" role="search">
        <Field
          label={t("scan.search")}
          name="q"
          type="search"
          defaultValue={q}
          required
          autoFocus
        />
        <button type="submit">{t("common.search")}</button>
      </Form>
      <h2>{t("scan.pickGroup")}</h2>
      {groups.length === 0 ? (
        <p className="muted">{t("scan.noGroups")}</p>
      ) : (
        <ul className="list-plain">
          {groups.map((g) => (
            <li key={g.id}>
              <Link className="big-status" to={`/scan/${g.id}`}>
                {g.name}
              </Link>{" "}
              <span className="muted">
                「{g.label}」・{g.cohortName}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "title.scan");

export function ErrorBoundary() {
  return <ErrorPage />;
}

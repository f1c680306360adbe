"""XLSX files as Excel writes them (for the tests and bench/imports.py): openpyxl writes its
texts inline in each cell, Excel in the shared-strings part."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
ElementTree.register_namespace("", MAIN)


def to_shared_strings(content: bytes, strings: str | None = None) -> bytes:
    """The workbook as Excel writes it: openpyxl writes its texts inline in each cell; Excel
    keeps them in the shared-strings part (``strings``: that part as given)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    table = ElementTree.Element(f"{{{MAIN}}}sst")
    parts: dict[str, bytes] = {}
    for name in source.namelist():
        data = source.read(name)
        if name.startswith("xl/worksheets/sheet"):
            root = ElementTree.fromstring(data)  # noqa: S314 - a file the test or bench made
            for cell in root.iter(f"{{{MAIN}}}c"):
                inline = cell.find(f"{{{MAIN}}}is")
                if cell.get("t") == "inlineStr" and inline is not None:
                    item = ElementTree.SubElement(table, f"{{{MAIN}}}si")
                    item.extend(list(inline))
                    cell.remove(inline)
                    cell.set("t", "s")
                    ElementTree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(table) - 1)
            data = ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")
        elif name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
                "</Types>".encode(),
            )
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                f'<Relationship Id="rIdStrings" Type="{STRINGS_REL}" Target="sharedStrings.xml"/>'
                "</Relationships>".encode(),
            )
        parts[name] = data
    parts["xl/sharedStrings.xml"] = (
        strings.encode()
        if strings is not None
        else ElementTree.tostring(table, xml_declaration=True, encoding="UTF-8")
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()

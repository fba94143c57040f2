"""Import the seed's forms built as real Word files, and refuse bad Word input with clear messages."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from formbuilders import (
    DEPARTMENT,
    P1,
    P2,
    SHIPPED,
    UP,
    C,
    FormLayout,
    build_docx,
    build_xlsx,
    department_form,
    project_form,
    seed_forms,
    summary_form,
    write,
)

from evaluator.errors import InputErrors
from evaluator.forms import import_forms
from evaluator.io.dump import dump_targets

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def problem_text(error: pytest.ExceptionInfo[InputErrors]) -> str:
    return "\n".join(str(p) for p in error.value.problems)


@pytest.mark.parametrize("title_in_table", [False, True], ids=["title-paragraph", "title-row"])
def test_seed_docx_gives_the_seed_targets(tmp_path: Path, title_in_table: bool) -> None:
    path = write(tmp_path, "forms.docx", build_docx(seed_forms(), title_in_table=title_in_table))
    result = import_forms([path])
    assert dump_targets(result.targets) == SHIPPED_TEXT
    assert result.findings == ()


def test_the_built_form_has_real_merges() -> None:
    document = docx.Document(io.BytesIO(build_docx(seed_forms()[:1])))
    rows = [row.cells for row in document.tables[0].rows]
    header = next(i for i, row in enumerate(rows) if row[1].text == "一级指标")
    first = rows[header + 1]
    assert first[1].text == "产出指标\n产出指标\n产出指标\n产出指标"  # merged while full: Word doubles the text
    assert first[1]._tc is rows[header + 2][1]._tc  # 一级指标 merged down
    assert first[3]._tc is first[4]._tc  # 三级指标 merged across
    assert rows[0][1]._tc is rows[0][5]._tc  # 部门名称's value merged across


def test_several_project_forms_in_one_file_without_titles(tmp_path: Path) -> None:
    """Two 附表3 with no title and no marker: each “支出方向（子项）” row opens the next one."""
    document = docx.Document(io.BytesIO(build_docx([department_form(), summary_form()])))
    data = build_docx([project_form(P1), project_form(P2)], title_in_table=False)
    projects = docx.Document(io.BytesIO(data))
    body = document.element.body
    for table in projects.tables:  # only the tables: no 附表3 marker, no title paragraph
        body.append(table._tbl)
    out = io.BytesIO()
    document.save(out)
    result = import_forms([write(tmp_path, "forms.docx", out.getvalue())])
    assert [(p.id, p.name, len(p.indicators)) for p in result.targets.projects] == [
        ("P1", "业务性专项经费", 9), ("P2", "人大代表活动经费", 10),
    ]
    assert dump_targets(result.targets) == SHIPPED_TEXT


def test_forms_spread_over_a_docx_and_an_xlsx(tmp_path: Path) -> None:
    word = write(tmp_path, "附表1.docx", build_docx([department_form()]))
    excel = write(tmp_path, "附表2-3.xlsx", build_xlsx([summary_form(), project_form(P1), project_form(P2)]))
    result = import_forms([word, excel])
    assert dump_targets(result.targets) == SHIPPED_TEXT
    assert result.findings == ()


def test_conflicting_years_across_files(tmp_path: Path) -> None:
    word = write(tmp_path, "a.docx", build_docx([department_form(2023)]))
    other = write(tmp_path, "b.docx", build_docx([project_form(P1, year=2024)]))
    with pytest.raises(InputErrors) as caught:
        import_forms([word, other])
    assert "年度不一致：附表3是“2024”，而" in problem_text(caught)
    assert "a.docx" in problem_text(caught) and "b.docx" in problem_text(caught)


def test_conflicting_departments_across_files(tmp_path: Path) -> None:
    word = write(tmp_path, "a.docx", build_docx([department_form()]))
    other = write(tmp_path, "b.docx", build_docx([project_form(P1, reporter="株洲市荷塘区财政局")]))
    with pytest.raises(InputErrors, match=f"部门不一致：这里是“株洲市荷塘区财政局”，而 .*a.docx.* 是“{DEPARTMENT}”"):
        import_forms([word, other])


def test_the_same_form_twice_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.docx", build_docx([department_form(), project_form(P1)]))
    with pytest.raises(InputErrors) as caught:
        import_forms([path, path])
    text = problem_text(caught)
    assert "附表1出现了不止一次" in text and "附表3“业务性专项经费”出现了两次" in text


def test_a_word_for_a_number_in_word(tmp_path: Path) -> None:
    path = write(tmp_path, "a.docx", build_docx([department_form(), project_form(P1, amount="三十六")]))
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    (problem,) = caught.value.problems
    assert "/a.docx 第2行" in str(problem)
    assert str(problem).split("/")[-1].startswith("a.docx 第2行 “项目金额”列 第2个表格：附表3（业务性专项经费）的“项目金额”应为数字，实际是“三十六”")


def test_a_missing_value_column_in_word(tmp_path: Path) -> None:
    path = write(tmp_path, "a.docx", build_docx([department_form(), project_form(P1, target_header="目标描述")]))
    with pytest.raises(InputErrors, match=r"a\.docx 第6行 “指标值”列 第2个表格：附表3（业务性专项经费）的年度绩效指标表头缺少“指标值”列"):
        import_forms([path])


def test_a_word_file_with_none_of_the_forms(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于召开常委会会议的通知")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "时间"
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InputErrors, match=r"notice\.docx：文件中没有找到绩效目标表"):
        import_forms([write(tmp_path, "notice.docx", out.getvalue())])


# --- files that must not reach python-docx --------------------------------------------------------


def test_old_binary_doc_explains_how_to_convert(tmp_path: Path) -> None:
    path = write(tmp_path, "forms.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    text = problem_text(caught)
    assert "forms.doc：不支持旧版 Word/WPS 二进制格式（.doc）" in text
    assert "用 Word 或 WPS 打开后“另存为” .docx" in text
    assert "libreoffice --headless --convert-to docx" in text


def test_a_doc_renamed_to_docx(tmp_path: Path) -> None:
    path = write(tmp_path, "forms.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputErrors, match=r"这是旧版 Word 二进制文件（\.doc），只是扩展名为 \.docx"):
        import_forms([path])


def test_password_protected_docx(tmp_path: Path) -> None:
    # Office saves a password-protected file as an OLE container holding an “EncryptedPackage” stream
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    with pytest.raises(InputErrors, match=r"secret\.docx：文件设置了打开密码（已加密），无法读取"):
        import_forms([write(tmp_path, "secret.docx", data)])


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89binary\x00 not a zip at all", "文件已损坏，或不是 Word 文件"),
    (b"not a zip at all", "文件内容是文字（如 YAML 或文本），不是 Word 文件"),
    (build_docx(seed_forms()[:1])[:2000], "文件已损坏"),
], ids=["garbage", "text", "truncated"])
def test_corrupt_docx(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(InputErrors, match=rf"broken\.docx：{message}"):
        import_forms([write(tmp_path, "broken.docx", data)])


def _with_part(base: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, payload)
    return out.getvalue()


def test_zip_bomb_by_size(tmp_path: Path) -> None:
    data = _with_part(build_docx(seed_forms()[:1]), "word/media/padding.bin", bytes(101 * 1024 * 1024))
    assert len(data) < 1024 * 1024
    with pytest.raises(InputErrors, match=r"bomb\.docx：文件解压后过大（101\.\d MB，上限 100 MB），疑似压缩炸弹"):
        import_forms([write(tmp_path, "bomb.docx", data)])


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    data = _with_part(build_docx(seed_forms()[:1]), "word/media/padding.bin", bytes(8 * 1024 * 1024))
    with pytest.raises(InputErrors, match=r"bomb\.docx：压缩比异常（\d+ 倍，上限 100 倍），疑似压缩炸弹"):
        import_forms([write(tmp_path, "bomb.docx", data)])


def test_zip_with_too_many_entries(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(5001):
            archive.writestr(f"word/x{n}.txt", b"")
    with pytest.raises(InputErrors, match=r"压缩包内文件过多（5001 个，上限 5000 个）"):
        import_forms([write(tmp_path, "many.docx", out.getvalue())])


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    base = build_docx(seed_forms()[:1])
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        document = source.read("word/document.xml")
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            payload = source.read(item)
            if item.filename == "word/document.xml":
                payload = laughs + document[document.index(b"?>") + 2:]
            target.writestr(item, payload)
    with pytest.raises(InputErrors, match=r"word/document\.xml 含有 XML 实体声明（DOCTYPE），出于安全考虑不予读取"):
        import_forms([write(tmp_path, "lol.docx", out.getvalue())])


def test_macros_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputErrors, match=r"forms\.docm：含宏的文件（\.docm）出于安全考虑不予读取"):
        import_forms([write(tmp_path, "forms.docm", build_docx(seed_forms()[:1]))])
    with_macros = _with_part(build_docx(seed_forms()[:1]), "word/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(InputErrors, match=r"forms\.docx：文件含有宏（VBA），出于安全考虑不予读取"):
        import_forms([write(tmp_path, "forms.docx", with_macros)])


def test_an_excel_file_named_docx(tmp_path: Path) -> None:
    with pytest.raises(InputErrors, match=r"这是 Excel 文件，扩展名却是 \.docx"):
        import_forms([write(tmp_path, "forms.docx", build_xlsx(seed_forms()[:1]))])


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputErrors, match=r"forms\.pdf：不支持的文件类型“\.pdf”\n    提示：支持的格式：\.txt"):
        import_forms([write(tmp_path, "forms.pdf", b"%PDF-1.4")])
    with pytest.raises(InputErrors, match=r"nowhere\.docx：文件不存在"):
        import_forms([tmp_path / "nowhere.docx"])
    with pytest.raises(InputErrors, match="没有指定要导入的文件"):
        import_forms([])


def test_every_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    a = write(tmp_path, "a.doc", b"")
    b = write(tmp_path, "b.pdf", b"")
    c = write(tmp_path, "c.docx", b"garbage")
    with pytest.raises(InputErrors) as caught:
        import_forms([a, b, c])
    assert [p.location.file.rsplit("/", 1)[-1] for p in caught.value.problems] == ["a.doc", "b.pdf", "c.docx"]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_project_expenditure_form_reads_like_a_project_form(tmp_path: Path, suffix: str) -> None:
    """项目支出绩效目标表 (the Ministry's project layout) is read as a 附表3: 项目名称, 年度资金总额 …"""
    grid = [
        [C("项目名称"), C("业务性专项经费", 5)],
        [C("主管部门"), C(DEPARTMENT, 2), C("实施单位"), C("区人大办", 2)],
        [C("项目资金\n（万元）"), C("年度资金总额："), C("36.00"), C("", 3)],
        [UP, C("其中：财政拨款"), C("36.00"), C("", 3)],
        [UP, C("其他资金"), C(""), C("", 3)],
        [C("年度总体目标"), C("保证大会的正常进行", 5)],
        [C("绩效指标"), C("一级指标"), C("二级指标"), C("三级指标", 2), C("指标值")],
        [UP, C("产出指标"), C("数量指标"), C("召开会议", 2), C("≥8次")],
        [UP, UP, C("成本指标"), C("成本控制数", 2), C("≤36万元")],
    ]
    form = FormLayout("附表3", "2023年项目支出绩效目标表", [C("填报单位：（盖章）", 3), C("金额单位：万元", 3)], grid)
    build = build_docx if suffix == ".docx" else build_xlsx
    path = write(tmp_path, "project" + suffix, build([department_form(), form]))
    result = import_forms([path])
    (project,) = result.targets.projects
    assert (project.name, project.amount, project.goal_year) == ("业务性专项经费", Decimal("36.00"), "保证大会的正常进行")
    assert [(i.id, i.level1, i.level2, i.name, i.target) for i in project.indicators] == [
        ("P1-01", "产出指标", "数量指标", "召开会议", "≥8次"), ("P1-02", "产出指标", "成本指标", "成本控制数", "≤36万元"),
    ]
    assert [f.code for f in result.findings] == ["projects-sum"]  # 36.00 of 项目支出 92.1

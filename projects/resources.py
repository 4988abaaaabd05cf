"""django-import-export resources: the office loads next year's units and projects from Excel."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from .models import AssessmentYear, Project, Unit


class UnitResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="名称")
    short_name = fields.Field(attribute="short_name", column_name="简称")
    kind = fields.Field(attribute="kind", column_name="类别")
    display_order = fields.Field(attribute="display_order", column_name="排序")
    is_active = fields.Field(attribute="is_active", column_name="启用")

    class Meta:
        model = Unit
        import_id_fields = ["name"]
        fields = ["name", "short_name", "kind", "display_order", "is_active"]
        clean_model_instances = True
        skip_unchanged = True


class ProjectResource(resources.ModelResource):
    year = fields.Field(attribute="year", column_name="年度", widget=ForeignKeyWidget(AssessmentYear, "year"))
    code = fields.Field(attribute="code", column_name="编号")
    group_code = fields.Field(attribute="group_code", column_name="项目组编号")
    printed_code = fields.Field(attribute="printed_code", column_name="打印编号")
    name = fields.Field(attribute="name", column_name="项目名称")
    responsible_department = fields.Field(
        attribute="responsible_department", column_name="责任部门", widget=ForeignKeyWidget(Unit, "name")
    )
    display_order = fields.Field(attribute="display_order", column_name="排序")
    excluded_regions = fields.Field(
        attribute="excluded_regions",
        column_name="不适用的县区",
        widget=ManyToManyWidget(Unit, separator="、", field="name"),
    )

    class Meta:
        model = Project
        import_id_fields = ["year", "code"]
        fields = [
            "year",
            "code",
            "group_code",
            "printed_code",
            "name",
            "responsible_department",
            "display_order",
            "excluded_regions",
        ]
        clean_model_instances = True
        skip_unchanged = True

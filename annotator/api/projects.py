from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import services
from ..models import Membership
from ..permissions import IsProjectLead, IsProjectMember, projects_visible_to
from .base import ApiView
from .serializers import (
    LabelOutput,
    MemberOutput,
    ProjectOutput,
    TokenCreateInput,
    TokenOutput,
)


class ProjectListApi(ApiView):
    permission_classes = [IsAuthenticated]
    paginated = True

    @extend_schema(responses=ProjectOutput(many=True), summary="Your projects")
    def get(self, request):
        projects = projects_visible_to(request.user).with_role_of(request.user)
        roles = {project.pk: project.role for project in projects}
        return self.paginate(projects, ProjectOutput, roles=roles)


class ProjectDetailApi(ApiView):
    permission_classes = [IsProjectMember]

    @extend_schema(responses=ProjectOutput, summary="One of your projects")
    def get(self, request, slug):
        roles = {self.project.pk: self.project_role}
        return Response(ProjectOutput(self.project, context={"roles": roles}).data)


class LabelListApi(ApiView):
    permission_classes = [IsProjectMember]
    paginated = True

    @extend_schema(responses=LabelOutput(many=True), summary="The project's labels")
    def get(self, request, slug):
        return self.paginate(self.project.labels.all(), LabelOutput)


class MemberListApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True

    @extend_schema(responses=MemberOutput(many=True), summary="Members and roles (leads)")
    def get(self, request, slug):
        members = Membership.objects.filter(project=self.project).select_related("user")
        return self.paginate(members, MemberOutput)


class TokenCreateApi(ApiView):
    """A lead gives a member of the project an API token (the same one on every call)."""

    permission_classes = [IsProjectLead]

    @extend_schema(
        request=TokenCreateInput,
        responses={201: TokenOutput},
        summary="Create a member's API token (leads)",
    )
    def post(self, request, slug):
        data = TokenCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.token_create(
            project=self.project, username=data.validated_data["username"]
        )
        return Response(
            {"username": token.user.username, "token": token.key}, status=status.HTTP_201_CREATED
        )
